using GreenTrain.Scheduler.Traces;
using System.Reflection;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;

namespace GreenTrain.Scheduler.Traces;

/// <summary>The traces shipped with the Scheduler (embedded, and copied beside the binary), read with the shared <see cref="TraceReader"/>.</summary>
public static class ShippedTraces
{
    /// <summary>Embedded traces by region: the Let's Wait Awhile 2020 traces (see Data/carbon/README.md).</summary>
    public static IReadOnlyList<string> EmbeddedRegions { get; } = ["DE", "FR", "GB"];

    /// <summary>Reads a trace by path, or by the name of one shipped beside the Scheduler (see <see cref="Resolve"/>).</summary>
    public static IntensitySeries ReadFile(string path, string? region = null) => TraceReader.ReadFile(Resolve(path), region);

    /// <summary>
    /// A path as given, else the trace of that file name shipped beside the Scheduler (Data/carbon), so
    /// `--trace de_2020.csv` works from any folder and under `dotnet run`, which starts in the project folder.
    /// </summary>
    public static string Resolve(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }
        var shipped = Path.Combine(AppContext.BaseDirectory, "Data", "carbon", Path.GetFileName(path));
        var fromProject = Path.Combine(Directory.GetCurrentDirectory(), "..", path);
        return File.Exists(shipped) ? shipped : File.Exists(fromProject) ? fromProject : path;
    }

    public static IntensitySeries ReadEmbedded(string region)
    {
        var name = $"GreenTrain.Scheduler.Data.carbon.{region.ToLowerInvariant()}_2020.csv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new TraceFormatException(
                $"No embedded trace for region '{region}'; embedded: {string.Join(", ", EmbeddedRegions)}.");
        return TraceReader.Read(stream, name, region.ToUpperInvariant());
    }
}
