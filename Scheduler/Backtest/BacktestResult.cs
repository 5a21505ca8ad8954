namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// The back-test's answer, printed as one JSON object. Grams are totals over all jobs (and all seeds
/// when repeated), with every job drawing 1 kW; savings are against running every job at once. With --replan,
/// ForecastMapePct is the mean absolute percentage error of the forecasts the planner saw, 1, 6 and 24 h ahead;
/// Scenarios is the `--scenarios` spec in full when the current cell was decided under the forecast's past errors;
/// Threshold the `--threshold` spec in full when it was decided by an online threshold rule.
/// </summary>
public sealed record BacktestResult(
    string Scenario,
    IReadOnlyList<string> Regions,
    string Policy,
    string Forecast,
    bool Pausable,
    int StepMinutes,
    IReadOnlyList<int> Seeds,
    int JobDraws,
    int Jobs,
    int SkippedJobs,
    double RunNowGrams,
    double PlannedGrams,
    double OracleGrams,
    double SavingsPct,
    double OracleSavingsPct,
    int DeadlineMisses,
    IReadOnlyDictionary<string, double>? RegionShare,
    double ElapsedSeconds,
    bool Replan = false,
    double? Risk = null,
    IReadOnlyDictionary<string, double>? ForecastMapePct = null,
    string? BuiltinVariant = null,
    string? Scenarios = null,
    string? Threshold = null);
