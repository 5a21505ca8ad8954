namespace GreenTrain.Scheduler.Backtest;

/// <summary>What one simulated job emitted (priced on the actual trace), what running at once would have, and whether it missed its deadline.</summary>
internal sealed record JobOutcome(double Grams, double RunNowGrams, bool MissedDeadline, Dictionary<string, double> HoursByRegion);
