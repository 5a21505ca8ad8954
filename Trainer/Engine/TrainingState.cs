using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine.Optimizers;
using GreenTrain.Trainer.Methods.MixedPrecision;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// Everything a run knows. Methods change it, observers read it, the loop drives it. The part a
/// checkpoint must hold to resume a run exactly is named in CheckpointContents; the rest is rebuilt
/// from the spec (data, network shape, device) or belongs to the current step only.
/// </summary>
public sealed class TrainingState : IDisposable
{
    /// <summary>
    /// What a checkpoint holds, by property name: the fp32 master weights, the model's buffers (batch-norm
    /// running statistics), the optimizer's moments and step count, the step (which is also the schedule's
    /// position), the loss scaler, the random generator states (dropout), the data cursor (epoch and
    /// position: with the seed it fixes every later batch), the evaluation history (best metric, patience)
    /// and the spec hash (a checkpoint only resumes the spec that wrote it).
    /// </summary>
    public static readonly IReadOnlyList<string> CheckpointContents =
    [
        nameof(Parameters), nameof(ModelBuffers), nameof(Optimizer), nameof(Step), nameof(LossScaler),
        nameof(RandomState), nameof(Cursor), nameof(Evaluations), nameof(SpecHash),
    ];

    public TrainingState(ExperimentSpec spec, ITrainingData data, INetwork network, FlatParameters parameters, IFlatOptimizer optimizer, BatchSampler sampler, Device device, long totalSteps)
    {
        Spec = spec;
        SpecHash = ExperimentSpecJson.Hash(spec);
        Data = data;
        Network = network;
        Parameters = parameters;
        Optimizer = optimizer;
        Sampler = sampler;
        Device = device;
        TotalSteps = totalSteps;
    }

    // ---- checkpointed ----
    public FlatParameters Parameters { get; }

    /// <summary>Non-parameter tensors of the model (batch-norm running mean and variance, counters).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> ModelBuffers => Network.Module.named_buffers();

    public IFlatOptimizer Optimizer { get; }

    /// <summary>Optimizer steps taken, skipped fp16 steps included; the schedule's position.</summary>
    public long Step { get; set; }

    /// <summary>fp16's dynamic loss scale; null when no loss scaling is in use.</summary>
    public LossScalerState? LossScaler { get; set; }

    /// <summary>
    /// The CPU generator's state (dropout and any other sampling). TorchSharp cannot read CUDA generator
    /// states, so on CUDA a checkpoint reseeds them from (seed, step) instead (see TrainingCheckpoint).
    /// </summary>
    public Tensor RandomState => get_rng_state();

    public DataCursor Cursor => Sampler.Cursor;

    public List<EvaluationRecord> Evaluations { get; } = [];

    public string SpecHash { get; }

    // ---- rebuilt from the spec ----
    public ExperimentSpec Spec { get; }

    public ITrainingData Data { get; }

    public INetwork Network { get; }

    public BatchSampler Sampler { get; }

    public Device Device { get; }

    public long TotalSteps { get; }

    /// <summary>Whether evaluations rank by accuracy (classification) or by loss (language model).</summary>
    public MetricKind MonitoredMetric => Data.Task == DataTask.Classification ? MetricKind.Accuracy : MetricKind.Loss;

    // ---- the current step ----
    public double LearningRate { get; set; }

    public int MicroStep { get; set; }

    public Batch? Batch { get; set; }

    /// <summary>The current micro-batch's loss, divided by the accumulation steps: what backward differentiates.</summary>
    public Tensor? Loss { get; set; }

    /// <summary>Set by a method to skip this optimizer step (fp16 overflow); reset after each step.</summary>
    public bool SkipStep { get; set; }

    public long SkippedSteps { get; set; }

    /// <summary>Set by whoever decides the run is over (target reached, early stopping, cancellation).</summary>
    public string? StopReason { get; set; }

    /// <summary>
    /// Set with StopReason when the run stops to continue later from a checkpoint (pause, shutdown, lost
    /// lease): the loop then skips the final evaluation, which belongs to the run's real end.
    /// </summary>
    public bool Suspended { get; set; }

    // ---- progress and throughput ----
    /// <summary>Mean training loss over the last log window (read at log steps only, to avoid a device sync every step).</summary>
    public double? TrainLoss { get; set; }

    public bool IsLogStep { get; set; }

    public long ExamplesSeen { get; set; }

    public long TargetsSeen { get; set; }

    /// <summary>Seconds spent in the training steps themselves, evaluations excluded.</summary>
    public double TrainingSeconds { get; set; }

    public double EvaluationSeconds { get; set; }

    public EvaluationRecord? Best =>
        Evaluations.Count == 0 ? null
        : MonitoredMetric == MetricKind.Accuracy ? Evaluations.MaxBy(e => e.Accuracy ?? 0) : Evaluations.MinBy(e => e.Loss);

    public void Dispose()
    {
        Optimizer.Dispose();
        Parameters.Dispose();
        Sampler.Dispose();
        Network.Module.Dispose();
        Data.Dispose();
    }
}

/// <summary>One evaluation on the validation split.</summary>
public sealed record EvaluationRecord(long Step, double Epoch, double? TrainLoss, double Loss, double? Accuracy, double ElapsedSeconds, double LearningRate)
{
    public double Metric(MetricKind kind) => kind == MetricKind.Accuracy ? Accuracy ?? 0 : Loss;
}
