using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine.Optimizers;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// Everything a run knows. Methods change it, observers read it, the loop drives it. The part a
/// checkpoint must hold to resume a run exactly is named in CheckpointContents; the rest is rebuilt
/// from the spec (data, network shape, device) or belongs to the current step only. It is built in two
/// stages: the network and the methods first (Init lets methods change the model), then the flat
/// parameters and the optimizer (AttachParameters).
/// </summary>
public sealed class TrainingState : IDisposable
{
    /// <summary>
    /// What a checkpoint holds, by property name: the fp32 master weights, the model's buffers (batch-norm
    /// running statistics), the optimizer's moments and step count, the step (which is also the schedule's
    /// position), the random generator states (dropout), the data cursor (epoch and position: with the
    /// seed it fixes every later batch), the evaluation history (best metric, patience), the spec hash (a
    /// checkpoint only resumes the spec that wrote it), and each stateful method's own section (the loss
    /// scale, pruning masks, observed activation ranges).
    /// </summary>
    public static readonly IReadOnlyList<string> CheckpointContents =
    [
        nameof(Parameters), nameof(ModelBuffers), nameof(Optimizer), nameof(Step),
        nameof(RandomState), nameof(Cursor), nameof(Evaluations), nameof(SpecHash), nameof(Methods),
    ];

    private FlatParameters? _parameters;
    private IFlatOptimizer? _optimizer;

    public TrainingState(ExperimentSpec spec, ITrainingData data, INetwork network, IReadOnlyList<ITrainingMethod> methods, BatchSampler sampler, Device device, long totalSteps)
    {
        Spec = spec;
        SpecHash = ExperimentSpecJson.Hash(spec);
        Data = data;
        Network = network;
        Methods = methods;
        Sampler = sampler;
        Device = device;
        TotalSteps = totalSteps;
    }

    /// <summary>Second stage, after Init: the model's final parameters as flat buffers, and the optimizer over them.</summary>
    public void AttachParameters(FlatParameters parameters, IFlatOptimizer optimizer)
    {
        if (_parameters is not null) throw new InvalidOperationException("the parameters are already attached");
        _parameters = parameters;
        _optimizer = optimizer;
    }

    // ---- checkpointed ----
    public FlatParameters Parameters => _parameters ?? throw new InvalidOperationException("the parameters are flattened after Init; a method cannot use them at Init");

    /// <summary>Non-parameter tensors of the model (batch-norm running mean and variance, counters).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> ModelBuffers => Network.Module.named_buffers();

    public IFlatOptimizer Optimizer => _optimizer ?? throw new InvalidOperationException("the optimizer is made after Init");

    /// <summary>Optimizer steps taken, skipped fp16 steps included; the schedule's position.</summary>
    public long Step { get; set; }

    /// <summary>The run's methods in the order they apply (mixed precision first, then the spec's training.methods).</summary>
    public IReadOnlyList<ITrainingMethod> Methods { get; }

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

    /// <summary>The model's outputs for the current micro-batch (logits), set after the forward pass.</summary>
    public Tensor? Outputs { get; set; }

    /// <summary>
    /// The loss of a micro-batch from the outputs and the batch; cross-entropy unless a method replaces it
    /// (at Init for the whole run, or at BeforeLoss for one batch, restoring it at AfterLoss).
    /// </summary>
    public Func<Tensor, Batch, Tensor> Criterion { get; set; } = Losses.CrossEntropy;

    /// <summary>The current micro-batch's loss, divided by the accumulation steps: what is optimised and logged.</summary>
    public Tensor? Loss { get; set; }

    /// <summary>What backward differentiates: the loss, or a method's scaled copy of it (fp16 loss scaling) set at BeforeBackward.</summary>
    public Tensor? BackwardLoss { get; set; }

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

    /// <summary>The run's method of type T, if it has one.</summary>
    public T? Method<T>() where T : class, ITrainingMethod => Methods.OfType<T>().FirstOrDefault();

    public EvaluationRecord? Best =>
        Evaluations.Count == 0 ? null
        : MonitoredMetric == MetricKind.Accuracy ? Evaluations.MaxBy(e => e.Accuracy ?? 0) : Evaluations.MinBy(e => e.Loss);

    public void Dispose()
    {
        foreach (var method in Methods.OfType<IDisposable>()) method.Dispose();
        _optimizer?.Dispose();
        _parameters?.Dispose();
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
