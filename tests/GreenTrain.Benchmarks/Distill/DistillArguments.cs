using System.Globalization;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The distillation benchmark's settings (see BenchmarkCommands): device, the two workloads' data, the steps of the
/// teacher's run and of each student's run, the student seeds, and the (alpha, temperature) grid that is searched on
/// the validation split at the first seed.
/// </summary>
public sealed record DistillArguments(DeviceRequest Device, string? LibTorch, string FashionFolder, string TextPath,
    int TeacherSteps, int StudentSteps, string Workloads, string Output)
{
    /// <summary>The students' seeds (weights and data order); the grid runs at the first, the chosen setting at every one.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];

    /// <summary>The distillation settings tried at the first seed; the one with the best validation metric is kept.</summary>
    public IReadOnlyList<DistillSetting> Grid { get; init; } = DistillSetting.ParseList(DistillSetting.DefaultGrid)!;

    /// <summary>The CNN teacher's and student's first-stage channels; the default pair gives the student about a quarter of the teacher's parameters.</summary>
    public (int Teacher, int Student) CnnWidths { get; init; } = (DistillWorkloads.CnnTeacherWidth, DistillWorkloads.CnnStudentWidth);
}

/// <summary>One distilled student's loss settings: the teacher term's weight and the softmax temperature.</summary>
public sealed record DistillSetting(double Alpha, double Temperature)
{
    /// <summary>Hinton et al.'s (2015) usual range: half or all of the weight on the teacher, temperature 1 or 4.</summary>
    public const string DefaultGrid = "0.5:1,0.5:4,1:1,1:4";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"a={Alpha} T={Temperature}");

    /// <summary>"0.5:4,0.9:2" as settings; null when a pair is malformed or out of range (alpha in [0, 1], temperature > 0).</summary>
    public static IReadOnlyList<DistillSetting>? ParseList(string text)
    {
        var settings = new List<DistillSetting>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature)
                || alpha is < 0 or > 1 || !(temperature > 0) || double.IsInfinity(temperature)) return null;
            settings.Add(new DistillSetting(alpha, temperature));
        }
        return settings.Count > 0 ? settings : null;
    }

    /// <summary>"1,2,3" as distinct seeds; null when one is not an integer or a seed repeats.</summary>
    public static IReadOnlyList<int>? ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) || seeds.Contains(seed)) return null;
            seeds.Add(seed);
        }
        return seeds.Count > 0 ? seeds : null;
    }
}
