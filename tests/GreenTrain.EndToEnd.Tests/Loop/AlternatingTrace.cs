using System.Globalization;
using System.Text;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>
/// A grid trace whose hours alternate between clean and dirty (CSV "Time,Carbon Intensity", like the shipped
/// traces). Wherever replay happens to be when an experiment is submitted, a job longer than one clean hour
/// must pause through a dirty hour to stay clean: that is the behaviour under test, so the input makes it certain.
/// </summary>
internal static class AlternatingTrace
{
    /// <summary>The clean hours start at this and get 0.1 g/kWh dirtier each hour, so the earliest clean hours are the
    /// cheapest and a plan with a loose deadline still runs as soon as it can (equal hours would leave the choice open).</summary>
    public const double CleanGrams = 40;

    /// <summary>The cleanest a clean hour gets by the end of the trace.</summary>
    public const double CleanGramsMax = 80;
    public const double DirtyGrams = 600;

    /// <summary>The default replay start (TraceReplayOptions.TraceStart): the trace must cover it.</summary>
    public static readonly DateTime Start = new(2020, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    public static string Write(string folder, int days = 14) // 14 days: clean hours stay below CleanGramsMax
    {
        var csv = new StringBuilder("Time,Carbon Intensity\n");
        for (var hour = 0; hour < days * 24; hour++)
        {
            var grams = hour % 2 == 0 ? CleanGrams + 0.1 * hour : DirtyGrams;
            csv.Append(CultureInfo.InvariantCulture, $"{Start.AddHours(hour):yyyy-MM-dd HH:mm:ss},{grams}\n");
        }
        var path = Path.Combine(folder, "alternating.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}
