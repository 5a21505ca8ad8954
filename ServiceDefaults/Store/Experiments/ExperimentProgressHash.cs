using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.Experiments;

/// <summary>
/// The progress hash's fields, written and read in one place so the Trainer (writer) and the Scheduler,
/// Telemetry and AppHost (readers) cannot drift. Every field is written on every update (empty when
/// unknown), so a reader never mixes fields of two updates.
/// </summary>
public static class ExperimentProgressHash
{
    public static HashEntry[] ToEntries(ExperimentProgress p) =>
    [
        new("state", Wire(p.State)),
        new("step", p.Step),
        new("totalSteps", p.TotalSteps),
        new("epoch", p.Epoch.ToString("R", CultureInfo.InvariantCulture)),
        new("lastMetric", p.LastMetricJson ?? ""),
        new("bestMetric", p.BestMetric?.ToString("R", CultureInfo.InvariantCulture) ?? ""),
        new("checkpointId", p.CheckpointId ?? ""),
        new("checkpointStep", p.CheckpointStep?.ToString(CultureInfo.InvariantCulture) ?? ""),
        new("resumedFromStep", p.ResumedFromStep?.ToString(CultureInfo.InvariantCulture) ?? ""),
        new("region", p.Region ?? ""),
        new("worker", p.Worker ?? ""),
        new("runId", p.RunId ?? ""),
        new("updatedAt", p.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)),
        new("message", p.Message ?? ""),
        new("stoppedAt", p.StoppedAt?.Wire ?? ""),
    ];

    /// <summary>The progress in <paramref name="entries"/>, or null when there are none or the state is unreadable.</summary>
    public static ExperimentProgress? FromEntries(string experimentId, HashEntry[] entries)
    {
        var fields = entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "");
        if (!fields.TryGetValue("state", out var stateText) || !TryParse(stateText, out ExperimentRunState state))
        {
            return null;
        }
        string? Text(string name) => fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        long? Long(string name) => long.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        double? Double(string name) => double.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new ExperimentProgress(experimentId, state, Long("step") ?? 0, Long("totalSteps") ?? 0, Double("epoch") ?? 0,
            Text("lastMetric"), Double("bestMetric"), Text("checkpointId"), Long("checkpointStep"), Long("resumedFromStep"),
            Text("region"), Text("worker"), Text("runId"),
            DateTimeOffset.TryParse(Text("updatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : default,
            Text("message"), SegmentLimit.Parse(Text("stoppedAt")));
    }

    /// <summary>An enum value as stored: its name in lower case ("running", "pause").</summary>
    public static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
}
