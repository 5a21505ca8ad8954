using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Opens the spec's data set with dataset.dedup applied: runs the pipeline on the training split (text: on the
/// documents, before tokenisation), checks the evaluation splits against it (text and images), measures the stage with the run's
/// energy meter as dedup-phase windows (so it is billed with the run), and writes dedup.json and the manifest
/// when given a folder. Without dataset.dedup it opens the data set as it is. TrainingSession.OpenData calls it
/// for the CLI and the worker alike.
/// </summary>
/// <param name="Removed">The manifest: every removed example and why (empty without dataset.dedup).</param>
public sealed record DedupedData(ITrainingData Data, DedupSummary? Summary, IReadOnlyList<RemovedExample> Removed);

public static class DedupStage
{
    public static DedupedData Open(ExperimentSpec spec, Device device, int threads, string? folder, IPhaseEnergy? energy, ILogger logger)
    {
        if (spec.Dataset.Dedup is not { } dedup) return new(DataSetFactory.Open(spec, device), null, []);

        if (device.type == TorchSharp.DeviceType.CPU) set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        energy?.Meter.Open(EnergyPhase.Dedup, 0);
        ITrainingData data;
        DedupOutcome outcome;
        SplitOverlap? overlap = null;
        int examples;
        try
        {
            if (spec.Dataset.Kind == DatasetKind.Text)
            {
                var splits = DocumentCorpus.Split(DocumentCorpus.Read(spec.Dataset.Path!, spec.Dataset.Documents!.Value), spec.Dataset.ValidationFraction, spec.Dataset.TestFraction);
                var proxy = dedup.Semantic is null ? null : new DocumentProxyScorer(spec, splits, device, threads, logger);
                (var kept, outcome, overlap) = DocumentDedup.Run(splits, dedup, proxy, spec.Training.Seed, threads);
                examples = splits.Train.Count;
                data = TextCorpusData.FromDocuments(kept, spec.Dataset, spec.Model.ContextLength, device);
            }
            else
            {
                (data, outcome, overlap, examples) = Images(spec, dedup, DataSetFactory.Open(spec, device), device, threads, logger);
            }
        }
        finally
        {
            if (energy is not null)
            {
                DeviceSync.Synchronize(device);
                energy.Meter.Close(0);
            }
        }

        var (joules, method) = energy?.Total(EnergyPhase.Dedup) ?? (0, null);
        var summary = Summarise(examples, outcome, clock.Elapsed.TotalSeconds, method is null ? null : joules, method, overlap);
        if (folder is not null) DedupFiles.Write(folder, summary, outcome.Removed);
        return new(data, summary, outcome.Removed);
    }

    /// <summary>The pipeline on an image data set already open, its evaluation splits checked against the kept training images; the result owns <paramref name="inner"/>.</summary>
    public static (ITrainingData Data, DedupOutcome Outcome, SplitOverlap? Overlap, int Examples) Images(ExperimentSpec spec, DedupSpec dedup, ITrainingData inner, Device device, int threads, ILogger logger)
    {
        var proxy = dedup.Semantic is null && dedup.Prune is null ? null : new ImageProxyScorer(spec, inner, device, threads, logger);
        return ImageDedup.Run(inner, dedup, proxy, spec.Training.Seed, device, threads);
    }

    public static DedupSummary Summarise(int examples, DedupOutcome outcome, double seconds, double? joules, EnergyMethod? method, SplitOverlap? overlap)
    {
        return new DedupSummary
        {
            Examples = examples,
            Kept = outcome.Kept.Length,
            RemovedFraction = examples == 0 ? 0 : (examples - outcome.Kept.Length) / (double)examples,
            Stages = outcome.Stages,
            Seconds = seconds,
            EnergyJoules = joules,
            EnergyMethod = method,
            Overlap = overlap,
        };
    }
}
