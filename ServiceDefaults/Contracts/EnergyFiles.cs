using System.Text.Json;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The names and JSON settings of the energy files a run leaves in its output folder, shared by the writer
/// (Trainer) and the reader (Telemetry) so the two cannot drift. docs/energy-files.md describes the format.
/// </summary>
public static class EnergyFiles
{
    /// <summary>JSON Lines: one <see cref="EnergyWindow"/> per line, appended and flushed as each window closes.</summary>
    public const string WindowsFileName = "energy.jsonl";

    /// <summary>One <see cref="EnergyRunInfo"/> object, written when the run starts.</summary>
    public const string RunInfoFileName = "energy-run.json";

    /// <summary>camelCase names, enums as their lower-case names, unknown (null) fields left out, one window a line.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
