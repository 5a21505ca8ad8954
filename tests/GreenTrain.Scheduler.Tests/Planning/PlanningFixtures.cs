using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Tests.Planning;

/// <summary>Small hand-made forecasts on an hourly grid starting at a fixed moment.</summary>
internal static class PlanningFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static ForecastGrid Grid(params (string Region, double[] Values)[] regions) =>
        new(T0, TimeSpan.FromHours(1), regions.ToDictionary(r => r.Region, r => r.Values));

    public static PlanningJob Job(string id, double hours, double deadlineHours, bool pausable = true, string[]? regions = null,
        JobCosts? costs = null, JobPhase phase = JobPhase.Waiting, string? current = null) =>
        new(id, hours, TimeSpan.FromHours(hours), T0.AddHours(deadlineHours), pausable, regions ?? ["A"], costs ?? JobCosts.None, phase, current);

    public static double[] Random(Random random, int n, double mean = 300, double spread = 150) =>
        Enumerable.Range(0, n).Select(_ => Math.Max(1, mean + spread * (random.NextDouble() * 2 - 1))).ToArray();

    public static int Hour(DateTimeOffset moment) => (int)(moment - T0).TotalHours;
}
