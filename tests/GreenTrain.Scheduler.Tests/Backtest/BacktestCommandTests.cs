using System.Text.Json;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Backtest;

/// <summary>
/// The backtest command as a user runs it, reading what it prints on the process's standard output. Console.Out is
/// one for the whole process, so this runs in a collection that runs alone: nothing else writes into the capture.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class BacktestCommandTests
{
    private static readonly DateTimeOffset March = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Command_prints_one_json_object_with_the_promised_fields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bt-{Guid.NewGuid():N}_trace.csv");
        var trace = TraceReader.ReadEmbedded("FR").Slice(March, March.AddDays(10));
        File.WriteAllLines(path, ["Time,Carbon Intensity", .. trace.Intervals.Select(i => $"{i.Start:yyyy-MM-dd HH:mm:ss},{i.GramsPerKWh}")]);
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var code = BacktestCommand.Run(["--trace", path, "--job-hours", "3", "--slack-hours", "9", "--arrivals", "hourly", "--forecast", "noisy:0.05"]);
            code.Should().Be(0);
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(path);
        }
        using var json = JsonDocument.Parse(output.ToString());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().Contain(["jobs", "runNowGrams", "plannedGrams", "oracleGrams", "savingsPct", "oracleSavingsPct", "deadlineMisses"]);
    }
}

/// <summary>Tests that replace the process's Console.Out: run after the parallel tests, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
