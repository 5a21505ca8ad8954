using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The distillation benchmark's settings (see BenchmarkCommands): device, the two workloads' data, the steps of the
/// teacher's run and of each student's run, and the distillation loss's weight and temperature per workload.
/// </summary>
public sealed record DistillArguments(DeviceRequest Device, string? LibTorch, string FashionFolder, string TextPath,
    int TeacherSteps, int StudentSteps, string Workloads, string Output)
{
    /// <summary>The distilled students of the CNN, one run per (alpha, temperature).</summary>
    public IReadOnlyList<DistillSetting> CnnSettings { get; init; } = [new(0.5, 4)];

    /// <summary>The distilled students of the GPT, one run per (alpha, temperature).</summary>
    public IReadOnlyList<DistillSetting> GptSettings { get; init; } = [new(0.5, 2)];
}

/// <summary>One distilled student's loss settings: the teacher term's weight and the softmax temperature.</summary>
public sealed record DistillSetting(double Alpha, double Temperature)
{
    /// <summary>"0.5:4,0.9:2" as settings; null when a pair is malformed or out of range (alpha in [0, 1], temperature > 0).</summary>
    public static IReadOnlyList<DistillSetting>? ParseList(string text)
    {
        var settings = new List<DistillSetting>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2
                || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var alpha)
                || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var temperature)
                || alpha is < 0 or > 1 || !(temperature > 0) || double.IsInfinity(temperature)) return null;
            settings.Add(new DistillSetting(alpha, temperature));
        }
        return settings.Count > 0 ? settings : null;
    }
}
