using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>
/// `dedup`: the dedup stages on Fashion-MNIST and the fortunes corpus, as shipped and with 30 % injected
/// duplicates (precision, recall, examples/s of each stage), then the same model trained on the injected
/// Fashion-MNIST with and without dedup in one run: energy and steps to the full-data model's accuracy (less
/// 0.5 point), final test accuracy, and the dedup stage's own energy. Prints tables, writes a JSON file.
/// </summary>
public static class DedupBenchmark
{
    public static int Run(DedupArguments a)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        set_num_threads(a.Threads);
        var scores = new List<StageScore>();
        var notes = new List<string>();
        var near = new NearDedupSpec { Threshold = a.Threshold, HashSide = a.HashSide, ImageCosine = a.ImageCosine, ImageDifference = a.ImageDifference };
        var (choice, error) = DeviceSelector.Select(a.Device, a.LibTorch, Console.WriteLine);
        if (choice is null) { Console.Error.WriteLine($"error: {error}"); return 2; }
        var device = choice.Device;
        Console.WriteLine($"training comparison on {choice.Description}; dedup stages on {Environment.ProcessorCount} CPU cores");

        // Fashion-MNIST: all 60,000 training images as shipped, then the training split with 30 % injected.
        var (shape, raw) = IdxFile.ReadBytes(Path.Combine(FashionMnistData.DefaultFolder, "train-images-idx3-ubyte.gz"));
        var shipped = new DedupPipeline(new DedupSpec { Near = near }, new ImageExamples(raw, [1, shape[1], shape[2]]), null, 1).Run();
        Console.WriteLine("fashion-mnist as shipped: done");
        notes.Add(Line($"fashion-mnist as shipped: {shape[0]} images, exact {Removed(shipped, "exact")}, near {Removed(shipped, "near")} removed; " +
            $"exact {Rate(shipped, "exact"):F0}/s, near {Rate(shipped, "near"):F0}/s"));

        var spec = FashionSpec(a);
        using var fashion = new FashionMnistData(spec.Dataset, device);
        var train = (ImageSplit)fashion.Train;
        var (pixels, labels, truth) = Injection.Images(train.HostPixels(), train.HostLabels(), 28 * 28, a.Share, a.Seed);
        var shippedSplit = new DedupPipeline(new DedupSpec { Near = near }, new ImageExamples(train.HostPixels(), [1, 28, 28]), null, 1).Run();
        var shippedRemoved = shippedSplit.Removed.Select(r => r.Id).ToHashSet();
        var dedupSpec = new DedupSpec { Near = near, Semantic = a.Semantic ? new SemanticDedupSpec { Eps = a.Eps, ProxySteps = a.ProxySteps } : null };
        var imageSpec = spec with { Dataset = spec.Dataset with { Dedup = dedupSpec } };

        // Training comparison: full (injected) data, then dedup + training, both metered the same way.
        var fulls = new List<TrainedRun>();
        var dedups = new List<TrainedRun>();
        var seeds = Enumerable.Range(0, a.Seeds).Select(k => spec.Training.Seed + k).ToList();
        DedupOutcome outcome;
        double dedupJoules;
        double stageSeconds;
        {
            // The whole image stage as a run has it (pipeline, split check against Fashion-MNIST's own validation and
            // test images, the kept set copied), metered by the Trainer's meter; with --train false it is all that runs.
            var folder = Path.Combine(a.Scratch, "dedup");
            Directory.CreateDirectory(folder);
            foreach (var seed in a.Train ? seeds : [])
            {
                Console.WriteLine($"training on {labels.Length} images (full, injected) for {a.Epochs} epochs, seed {seed} ...");
                using var injectedData = InjectedImages(fashion, pixels, labels, device);
                fulls.Add(TrainingComparison.Train($"full-{seed}", WithSeed(spec, seed), injectedData, Path.Combine(a.Scratch, $"full-{seed}"), 0, 0, device));
            }

            var clock = Stopwatch.StartNew();
            using var energy = new RunFolderEnergy(folder, "dedup-stage");
            energy.Meter.Open(EnergyPhase.Dedup, 0);
            var (data, o, stageOverlap, _) = DedupStage.Images(imageSpec, dedupSpec, InjectedImages(fashion, pixels, labels, device), device, Environment.ProcessorCount, NullLogger.Instance);
            energy.Meter.Close(0);
            outcome = o;
            dedupJoules = energy.Total(EnergyPhase.Dedup).Joules;
            stageSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"dedup stage: {outcome.Kept.Length} of {labels.Length} kept in {stageSeconds:F1} s, {dedupJoules:F0} J; " +
                $"validation {stageOverlap?.ValidationOverlap}/{stageOverlap?.Validation} and test {stageOverlap?.TestOverlap}/{stageOverlap?.Test} images overlapped training");
            notes.Add(Line($"fashion-mnist + 30 %: whole stage {stageSeconds:F1} s, {dedupJoules:F0} J; validation {stageOverlap?.ValidationOverlap}/{stageOverlap?.Validation} and test {stageOverlap?.TestOverlap}/{stageOverlap?.Test} overlapped training"));
            // A digest of the whole manifest (every removal: split, id, stage, match, similarity), so two runs of different code can be compared example by example.
            notes.Add(Line($"fashion-mnist + 30 %: manifest digest {ManifestDigest(outcome.Removed)} ({outcome.Removed.Count} entries)"));
            var splitCheck = SplitCheckComparison.Compare(pixels, outcome, (ImageSplit)fashion.Validation, (ImageSplit)fashion.Test, dedupSpec, imageSpec.Training.Seed, Environment.ProcessorCount);
            Console.WriteLine(splitCheck);
            notes.Add(splitCheck);
            // A training run leaves the data it trained on unusable (its tensors are released), so each further seed
            // gets the stage again on fresh data: it is deterministic, so every seed trains on the same kept set.
            for (var k = 0; k < (a.Train ? seeds.Count : 0); k++)
            {
                using var kept = k == 0 ? data : DedupStage.Images(imageSpec, dedupSpec, InjectedImages(fashion, pixels, labels, device), device, Environment.ProcessorCount, NullLogger.Instance).Data;
                Console.WriteLine($"training on the kept, seed {seeds[k]} ...");
                dedups.Add(TrainingComparison.Train($"dedup-{seeds[k]}", WithSeed(spec, seeds[k]), kept, Path.Combine(a.Scratch, $"dedup-train-{seeds[k]}"), dedupJoules, stageSeconds, device));
            }

            if (!a.Train) data.Dispose();
        }

        var epochs = a.EpochSteps > 0 ? EpochCosts(a, spec, fashion, pixels, labels, device) : [];
        scores.AddRange(StageScore.Of("fashion-mnist + 30 %", outcome, truth, shippedRemoved));
        var imageExamples = new ImageExamples(pixels, [1, 28, 28]);
        notes.Add(Missed(outcome, truth, (x, y) => -Difference(imageExamples, near, x, y), -a.ImageDifference, "fashion-mnist", "-difference"));
        Console.WriteLine("fortunes ...");

        // Fortunes: documents, as shipped and with 30 % injected copies in the training split.
        var documents = DocumentCorpus.Read(a.Text, DocumentKind.Fortune);
        var splits = DocumentCorpus.Split(documents, 0.05, 0.05);
        var textSpec = new DedupSpec { Near = near with { Shingles = ShingleKind.Bytes, ShingleSize = a.ShingleSize } };
        var bytes = splits.Train.Sum(d => (long)System.Text.Encoding.UTF8.GetByteCount(d));
        var (shippedKept, shippedText, overlap) = DocumentDedup.Run(splits, textSpec, null, 1);
        notes.Add(Line($"fortunes as shipped: {documents.Count} documents, {splits.Train.Count} training ({bytes / 1e6:F1} MB); exact {Removed(shippedText, "exact")}, near {Removed(shippedText, "near")} removed " +
            $"({Rate(shippedText, "exact"):F0} and {Rate(shippedText, "near"):F0} documents/s); validation {overlap.ValidationOverlap}/{overlap.Validation} and test {overlap.TestOverlap}/{overlap.Test} documents overlapped training"));
        var (injectedDocs, textTruth) = Injection.Documents(splits.Train, a.Share, a.Seed);
        var injectedSplits = splits with { Train = injectedDocs, TrainSources = [.. Enumerable.Range(0, injectedDocs.Count).Select(i => (long)i)] };
        var clockText = Stopwatch.StartNew();
        var (_, textOutcome, _) = DocumentDedup.Run(injectedSplits, textSpec, null, 1);
        var injectedBytes = injectedDocs.Sum(d => (long)System.Text.Encoding.UTF8.GetByteCount(d));
        notes.Add(Line($"fortunes + 30 %: {injectedDocs.Count} documents, {injectedBytes / 1e6:F1} MB, dedup (with the split overlap check) {clockText.Elapsed.TotalSeconds:F2} s = {injectedBytes / 1e6 / clockText.Elapsed.TotalSeconds:F1} MB/s"));
        scores.AddRange(StageScore.Of("fortunes + 30 %", textOutcome, textTruth, shippedText.Removed.Select(r => r.Id).ToHashSet()));

        var textExamples = new DocumentExamples(injectedDocs);
        notes.Add(Missed(textOutcome, textTruth, (x, y) => Jaccard.Of(textExamples.Shingles(x, textSpec.Near!), textExamples.Shingles(y, textSpec.Near!)), a.Threshold, "fortunes", "Jaccard"));
        object? comparison = null;
        Print(scores, notes);
        PrintCosts(outcome.Costs, stageSeconds);
        var stageShares = PrintShares(epochs, dedupJoules, outcome.Costs.Sum(c => c.CpuSeconds), stageSeconds);
        if (fulls.Count > 0) comparison = TrainingVerdict.Compare(fulls, dedups, dedupJoules, outcome.Stages, truth.Count - truth.Originals);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(a.Output))!);
        File.WriteAllText(a.Output, JsonSerializer.Serialize(new { arguments = a, scores, stageSeconds, dedupJoules, costs = outcome.Costs, epochs, stageShares, fulls, dedups, comparison, notes }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {a.Output}");
        return 0;
    }

    private static ExperimentSpec FashionSpec(DedupArguments a) => new()
    {
        Name = "fashion-dedup-bench",
        Dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist, ValidationFraction = 0.1 },
        Model = new ModelSpec { Kind = a.Model, Width = a.Width, Depth = a.Depth },
        Training = new TrainingSpec
        {
            Epochs = a.Epochs,
            BatchSize = 128,
            Seed = 1337,
            EvalEverySteps = a.EvalEvery,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = 0.002, WeightDecay = 0.01, GradientClip = 1.0 },
            Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, WarmupSteps = 20, MinLearningRateFraction = 0.1 },
        },
    };

    /// <summary>One epoch of the benchmark's MLP and of the CNN example spec on the injected set (70,200 images), each from EpochSteps measured steps.</summary>
    private static List<EpochCost> EpochCosts(DedupArguments a, ExperimentSpec mlp, FashionMnistData fashion, byte[] pixels, long[] labels, Device device)
    {
        var costs = new List<EpochCost>();
        var models = new List<(string Name, ExperimentSpec Spec)> { ($"{a.Model.ToString().ToLowerInvariant()} {a.Width}x{a.Depth} (this benchmark's)", mlp) };
        if (File.Exists(a.CnnSpec) && ExperimentSpecJson.Parse(File.ReadAllText(a.CnnSpec)) is { IsValid: true, Spec: { } cnn })
        {
            models.Add(($"cnn {cnn.Model.Width}x{cnn.Model.Depth} ({Path.GetFileName(a.CnnSpec)})", cnn));
        }
        else
        {
            Console.WriteLine($"epoch cost: {a.CnnSpec} not found or not valid; the CNN's epoch is not measured");
        }

        foreach (var (name, model) in models)
        {
            Console.WriteLine($"epoch cost of {name}: {a.EpochSteps} steps after 20 of warm-up ...");
            using var data = InjectedImages(fashion, pixels, labels, device);
            costs.Add(EpochProbe.Measure(name, model, data, a.EpochSteps, 20, Path.Combine(a.Scratch, $"epoch-{costs.Count}"), device));
        }

        return costs;
    }

    /// <summary>The stage as a share of one epoch of each model: by the meter's joules, and by CPU seconds (the figure that does not move with other users of a shared machine).</summary>
    private static List<object> PrintShares(List<EpochCost> epochs, double stageJoules, double stageCpuSeconds, double stageSeconds)
    {
        var shares = new List<object>();
        if (epochs.Count == 0) return shares;
        Console.WriteLine($"\n| one epoch of (70,200 images; extrapolated from the steps measured) | steps measured | steps per epoch | epoch wall s | epoch CPU s | epoch J ({epochs[0].Method}) | stage / epoch (J) | stage / epoch (CPU s) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var e in epochs)
        {
            var (byJoules, byCpu) = (stageJoules / e.Joules, stageCpuSeconds / e.CpuSeconds);
            Console.WriteLine(Line($"| {e.Model} | {e.StepsMeasured} | {e.StepsPerEpoch} | {e.Seconds:F1} | {e.CpuSeconds:F1} | {e.Joules:F0} | {byJoules:P1} | {byCpu:P1} |"));
            shares.Add(new { model = e.Model, shareByJoules = byJoules, shareByCpuSeconds = byCpu });
        }

        Console.WriteLine(Line($"| the dedup stage (whole, this run) | | | {stageSeconds:F1} | {stageCpuSeconds:F1} | {stageJoules:F0} | | |"));
        return shares;
    }

    private static ExperimentSpec WithSeed(ExperimentSpec spec, int seed) => spec with { Training = spec.Training with { Seed = seed } };

    private static ITrainingData InjectedImages(FashionMnistData fashion, byte[] pixels, long[] labels, Device device) => new InjectedImageData(fashion, pixels, labels, device);

    /// <summary>The near stage's measure of two images: the RMS left of the smaller after the best gain (fraction of full scale).</summary>
    private static double Difference(ImageExamples images, NearDedupSpec near, int x, int y)
    {
        var (a, b) = (new float[images.Dimensions(near)], new float[images.Dimensions(near)]);
        images.Features(x, near, a);
        images.Features(y, near, b);
        double na = VectorNearDuplicates.Dot(a, a), nb = VectorNearDuplicates.Dot(b, b), dot = VectorNearDuplicates.Dot(a, b);
        var cos2 = na == 0 || nb == 0 ? 0 : dot * dot / (na * nb);
        return Math.Sqrt(Math.Min(na, nb) * (1 - cos2) / a.Length);
    }

    /// <summary>Why copies were missed: their true similarity to their source below the threshold (the features moved too much) or not (LSH never paired them).</summary>
    private static string Missed(DedupOutcome outcome, Injected truth, Func<int, int, double> similarity, double threshold, string data, string measure)
    {
        var removed = outcome.Removed.Where(r => r.Split == "train").Select(r => r.Id).ToHashSet();
        var missed = Enumerable.Range(truth.Originals, truth.Count - truth.Originals).Where(id => !removed.Contains(id)).ToList();
        var similarities = missed.Select(id => similarity(id, truth.Source[id - truth.Originals])).ToList();
        var below = similarities.Count(s => s < threshold);
        return Line($"{data}: {missed.Count} injected copies missed: {below} have a true {measure} to their source below {threshold} (median {(similarities.Count > 0 ? similarities.Order().ElementAt(similarities.Count / 2) : 0):F3}), {missed.Count - below} at or above it (LSH did not pair them)");
    }

    private static void Print(List<StageScore> scores, List<string> notes)
    {
        Console.WriteLine("| data | stage | removed | true pos. | targets | precision | precision (shipped dups excl.) | recall | examples/s |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in scores) Console.WriteLine(Line($"| {s.Data} | {s.Stage} | {s.Removed} | {s.TruePositives} | {s.Targets} | {s.Precision:F4} | {s.PrecisionShippedExcluded:F4} | {s.Recall:F4} | {s.ExamplesPerSecond:F0} |"));
        foreach (var note in notes) Console.WriteLine(note);
    }

    /// <summary>The image stage's profile: each part's examples/s, wall and CPU seconds; "other" is the stage's wall time no part accounts for.</summary>
    private static void PrintCosts(List<StageCost> costs, double stageSeconds)
    {
        Console.WriteLine("\n| part (fashion-mnist + 30 %, whole stage) | examples | examples/s (wall) | wall s | CPU s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var c in costs) Console.WriteLine(Line($"| {c.Part} | {c.Examples} | {c.ExamplesPerSecond:F0} | {c.Seconds:F2} | {c.CpuSeconds:F2} |"));
        Console.WriteLine(Line($"| all parts | | | {costs.Sum(c => c.Seconds):F2} | {costs.Sum(c => c.CpuSeconds):F2} |"));
        Console.WriteLine(Line($"| whole stage (wall) | | | {stageSeconds:F2} | |"));
    }

    private static string ManifestDigest(List<RemovedExample> removed)
    {
        var lines = string.Join("\n", removed.Select(r => $"{r.Split} {r.Id} {r.Stage} {r.Match} {r.Similarity:R}"));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines)))[..16];
    }

    private static int Removed(DedupOutcome o, string stage) => o.Removed.Count(r => r.Split == "train" && r.Stage == stage);

    private static double Rate(DedupOutcome o, string stage) => o.Stages.FirstOrDefault(s => s.Stage == stage)?.ExamplesPerSecond ?? 0;

    /// <summary>Figures print with '.' decimals: Run sets the invariant culture first.</summary>
    private static string Line(string text) => text;
}

/// <summary>The injected training images with Fashion-MNIST's own validation and test splits (normalised with Fashion-MNIST's published mean 0.2860 and std 0.3530).</summary>
internal sealed class InjectedImageData(FashionMnistData fashion, byte[] pixels, long[] labels, Device device) : ITrainingData
{
    private readonly ImageSplit _train = new(tensor(pixels, [labels.Length, 1, 28, 28], ScalarType.Byte).to(device).DetachFromDisposeScope(), tensor(labels).to(device).DetachFromDisposeScope(), 255, 0.2860, 0.3530);

    public string Name => "fashion-mnist+injected";
    public DataTask Task => DataTask.Classification;
    public long[] ExampleShape => [1, 28, 28];
    public int Classes => 10;
    public IDataSplit Train => _train;
    public IDataSplit Validation => fashion.Validation;
    public IDataSplit Test => fashion.Test;
    public void Dispose() => _train.Dispose();
}
