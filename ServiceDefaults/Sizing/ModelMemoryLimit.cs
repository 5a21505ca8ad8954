using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Sizing;

/// <summary>Checks a spec's <see cref="ModelFootprint"/> against a memory limit and words the refusal with the fields that set it.</summary>
public static class ModelMemoryLimit
{
    /// <summary>
    /// The memory of this process's machine (or its container limit), as the runtime sees it: the default limit when
    /// none is configured.
    /// </summary>
    public static double AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static double BytesOf(double gib) => gib * (1L << 30);

    /// <summary>Why the spec's model does not fit in <paramref name="limitBytes"/>, naming the fields and <paramref name="setting"/>; null when it fits.</summary>
    public static string? Refusal(ExperimentSpec spec, double limitBytes, string setting)
    {
        var f = ModelFootprint.Of(spec);
        if (f.TotalBytes <= limitBytes)
        {
            return null;
        }
        var m = spec.Model;
        var t = spec.Training;
        return string.Create(CultureInfo.InvariantCulture,
            $"model.kind {m.Kind.ToString().ToLowerInvariant()} with model.width {m.Width} and model.depth {m.Depth} has {f.Parameters:N0} parameters; " +
            $"training it at training.batchSize {t.BatchSize} in {t.Precision.ToString().ToLowerInvariant()} needs about {Gib(f.TotalBytes)} GiB " +
            $"(weights and gradients {Gib(f.WeightBytes)}, optimizer state {Gib(f.OptimizerBytes)}, activations {Gib(f.ActivationBytes)}), " +
            $"more than the {Gib(limitBytes)} GiB allowed ({setting})");
    }

    private static string Gib(double bytes) => (bytes / (1L << 30)).ToString(bytes < 1L << 30 ? "0.###" : "#,##0.#", CultureInfo.InvariantCulture);
}
