using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine.Optimizers;
using System.Text.Json.Nodes;
using GreenTrain.Trainer.Methods;
using GreenTrain.Trainer.Models;
using GreenTrain.Trainer.Observers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>Settings of one run that belong to the machine, not the experiment.</summary>
public sealed record RunOptions
{
    public Device Device { get; init; } = CPU;

    /// <summary>The device's peak dense TFLOP/s at the run's precision, for MFU; null leaves MFU out.</summary>
    public double? PeakTflops { get; init; }

    /// <summary>Optimizer steps between reads of the training loss (each read waits for the device).</summary>
    public int LogEverySteps { get; init; } = 10;

    public int EvaluationBatchSize { get; init; } = 512;

    /// <summary>
    /// Validation batches each evaluation scores (the first N of the split), in place of the spec's training.evalBatches;
    /// null keeps the spec's. A machine-side setting, outside the spec and so outside its hash: a sweep scores its
    /// intermediate rungs on fewer batches and a promotion still resumes the rung's checkpoint.
    /// </summary>
    public int? EvalBatches { get; init; }

    /// <summary>
    /// LibTorch's CPU threads. Its OpenMP threads spin while they wait for each other, so when another
    /// process takes a core every step stalls (measured here: a small MLP step took 1.2 ms on one thread
    /// and 17-28 ms on two while the machine was busy); the default leaves one core free.
    /// </summary>
    public int CpuThreads { get; init; } = DefaultCpuThreads;

    public static int DefaultCpuThreads => Math.Max(1, Environment.ProcessorCount - 1);
}

/// <summary>
/// The composition root of every training run, the CLI's and the worker's alike: builds the state from
/// a spec (seeded) with the methods the spec asks for, lets them change the model (Init) before the
/// parameters are flattened and the optimizer made, makes the loop with the standard and the caller's
/// observers, scores the test split and reports. Like the top of nanoGPT's train.py, with the loop in TrainingLoop.
/// </summary>
public static class TrainingSession
{
    /// <summary>
    /// The data a run trains on: the spec's data set, with dataset.dedup applied when the spec asks for it (metered
    /// on the run's meter as dedup-phase windows; dedup.json and the manifest go to <paramref name="folder"/> when
    /// given). The CLI and the worker both open their data here, so a spec dedups the same way wherever it runs.
    /// </summary>
    public static DedupedData OpenData(ExperimentSpec spec, RunOptions options, string? folder, IPhaseEnergy? energy, ILogger logger) =>
        DedupStage.Open(spec, options.Device, options.CpuThreads, folder, energy, logger);

    /// <param name="data">The data set, when the caller opened or wrapped it (OpenData); by default the spec's, opened here.</param>
    /// <param name="methods">The run's methods; by default the spec's (TrainingMethodRegistry.For).</param>
    public static TrainingState Prepare(ExperimentSpec spec, Device device, int cpuThreads = 1, ITrainingData? data = null,
        IReadOnlyList<ITrainingMethod>? methods = null, ILogger? logger = null)
    {
        var training = spec.Training;
        if (device.type == DeviceType.CPU) set_num_threads(cpuThreads);
        manual_seed(training.Seed);
        if (device.type == DeviceType.CUDA) cuda.manual_seed_all(training.Seed);
        backends.cuda.matmul.allow_tf32 = training.AllowTf32;
        backends.cudnn.allow_tf32 = training.AllowTf32;

        data ??= DataSetFactory.Open(spec, device);
        var network = NetworkFactory.Create(spec.Model, data);
        network.Module.to(device);
        var sampler = new BatchSampler(data.Train, training.BatchSize, training.Seed, device);
        var stepsPerEpoch = Math.Max(1, sampler.BatchesPerEpoch / training.AccumulationSteps);
        var totalSteps = training.Steps ?? (training.Epochs ?? 10) * stepsPerEpoch;
        var state = new TrainingState(spec, data, network, methods ?? TrainingMethodRegistry.For(spec), sampler, device, totalSteps);

        // Model surgery happens here, before anything holds on to the parameters.
        MethodEvents.Raise(TrainingEvent.Init, state, [], logger ?? NullLogger.Instance);
        var parameters = FlatParameters.Flatten(network.Module);
        state.AttachParameters(parameters, OptimizerFactory.Create(parameters, training.Optimizer));
        return state;
    }

    public static List<ITrainingObserver> StandardObservers(ExperimentSpec spec)
    {
        var observers = new List<ITrainingObserver>();
        if (spec.Training.Target is { } target) observers.Add(new TargetObserver(target));
        if (spec.Training.EarlyStopping is { } early) observers.Add(new EarlyStoppingObserver(early));
        return observers;
    }

    /// <summary>The loop every run trains with: the spec's standard observers, then the caller's.</summary>
    public static TrainingLoop Loop(TrainingState state, RunOptions options, IEnumerable<ITrainingObserver> observers, ILogger logger) =>
        new([.. StandardObservers(state.Spec), .. observers], logger)
        {
            LogEverySteps = options.LogEverySteps,
            EvaluationBatchSize = EvaluationBatchSize(state, options),
            EvalBatches = options.EvalBatches,
        };

    /// <summary>The test split scored with the final weights, at the run's evaluation batch size.</summary>
    public static SplitScore ScoreTest(TrainingState state, RunOptions options)
    {
        var (loss, accuracy) = Evaluator.Evaluate(state.Network, state.Data.Test, EvaluationBatchSize(state, options), null, state.Parameters.ComputeType);
        return new SplitScore(loss, accuracy);
    }

    /// <summary>Language models keep [batch, context, vocabulary] logits per evaluation batch: stay at the training batch size.</summary>
    public static int EvaluationBatchSize(TrainingState state, RunOptions options) =>
        state.Data.Task == DataTask.LanguageModel ? state.Spec.Training.BatchSize : options.EvaluationBatchSize;

    /// <summary>Each reporting method's figures by its name (result.methods).</summary>
    public static Dictionary<string, JsonNode> MethodReports(TrainingState state) =>
        state.Methods.OfType<IReportingMethod>().ToDictionary(m => m.Name, m => m.Report(state));

    /// <summary>Trains to the end (or a stop), then scores the test split with the final weights.</summary>
    /// <param name="data">The data set when the caller opened it (the dedup stage); by default the spec's.</param>
    /// <param name="segment">Train one segment from and to a local checkpoint folder (a sweep's trial); null trains the whole run.</param>
    public static TrainingResult Run(ExperimentSpec spec, RunOptions options, IEnumerable<ITrainingObserver> observers, ILogger logger, CancellationToken cancellationToken = default,
        ITrainingData? data = null, LocalSegment? segment = null)
    {
        var clock = Stopwatch.StartNew();
        using var state = Prepare(spec, options.Device, options.CpuThreads, data, logger: logger);
        segment?.Begin(state, logger);
        Loop(state, options, [.. observers, .. segment?.Observers ?? []], logger).Run(state, cancellationToken);
        segment?.End(state);
        var test = ScoreTest(state, options);
        return new TrainingResult
        {
            Name = spec.Name,
            StopReason = state.StopReason ?? "completed",
            Steps = state.Step,
            Epochs = state.Sampler.EpochsDone,
            Metric = state.MonitoredMetric == MetricKind.Accuracy ? "accuracy" : "loss",
            Final = state.Evaluations.LastOrDefault(),
            Best = state.Best,
            Test = test,
            Performance = PerformanceReport.From(state, options.PeakTflops),
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Device = options.Device.ToString(),
            Precision = spec.Training.Precision,
            AllowTf32 = spec.Training.AllowTf32,
            SkippedSteps = state.SkippedSteps,
            Methods = MethodReports(state),
            SpecHash = state.SpecHash,
            Spec = spec,
        };
    }
}
