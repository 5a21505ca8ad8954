using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Checkpoints.State;

/// <summary>
/// Turns a TrainingState into checkpoint sections and back: everything TrainingState.CheckpointContents
/// names, enough for a bit-exact continuation. Capture runs on the training thread at a step boundary and
/// only copies tensors to host arrays; hashing and uploading are the BackgroundCheckpointWriter's work.
/// <list type="bullet">
/// <item>"state": JSON (CheckpointStateRecord): step, optimizer step count, data cursor, evaluations, counters, layouts.</item>
/// <item>"method.NAME": each stateful method's own section (MethodSectionCodec): the loss scale, pruning masks, activation ranges.</item>
/// <item>"parameters": the fp32 master weights. "optimizer.NAME": each optimizer tensor (AdamW's moments, SGD's velocity).</item>
/// <item>"buffers": the model's buffers (batch-norm statistics) packed one after another. "rng.cpu": the CPU generator's state.</item>
/// </list>
/// TorchSharp 0.107 cannot read a CUDA generator's state, so on CUDA a checkpoint reseeds the CUDA generators
/// from (seed, step) at the moment it is taken and records that seed; a restore on CUDA seeds them the same way,
/// so the continuation draws exactly what the checkpointed run drew after its checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    public const string StateSection = "state";
    public const string ParametersSection = "parameters";
    public const string OptimizerSectionPrefix = "optimizer.";
    public const string BuffersSection = "buffers";
    public const string CpuRandomSection = "rng.cpu";
    public const string MethodSectionPrefix = "method.";

    /// <summary>Copies the state to host memory as a snapshot the background writer can own.</summary>
    public static CheckpointSnapshot Capture(TrainingState state, string experimentId, string? runId)
    {
        var sections = new List<CheckpointSection> { new(ParametersSection, HostTensors.ToBytes(state.Parameters.Master)) };
        var optimizerEntries = new List<TensorEntry>();
        foreach (var (name, tensor) in state.Optimizer.State.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var bytes = HostTensors.ToBytes(tensor);
            sections.Add(new(OptimizerSectionPrefix + name, bytes));
            optimizerEntries.Add(new TensorEntry(name, tensor.dtype.ToString(), tensor.shape, 0, bytes.Length));
        }

        var (buffers, bufferEntries) = PackBuffers(state);
        sections.Add(new(BuffersSection, buffers));
        using (var random = state.RandomState)
        {
            sections.Add(new(CpuRandomSection, HostTensors.ToBytes(random)));
        }

        var methods = state.Methods.OfType<IStatefulMethod>().ToList();
        foreach (var method in methods)
        {
            sections.Add(new(MethodSectionPrefix + method.Name, MethodSectionCodec.Encode(method.Save(state))));
        }

        long? cudaSeed = null;
        if (state.Device.type == DeviceType.CUDA)
        {
            cudaSeed = CudaSeed(state.Spec.Training.Seed, state.Step);
            cuda.manual_seed_all(cudaSeed.Value);
        }

        var record = new CheckpointStateRecord(CheckpointStateRecord.CurrentFormatVersion, state.Step, state.Optimizer.Steps,
            state.SkippedSteps, state.Cursor, [.. state.Evaluations], state.ExamplesSeen, state.TargetsSeen,
            state.TrainingSeconds, state.EvaluationSeconds, Layout(state), state.Parameters.Count, optimizerEntries, bufferEntries,
            [.. methods.Select(m => m.Name)], cudaSeed, state.Device.ToString(), runId, DateTimeOffset.UtcNow);
        sections.Insert(0, new(StateSection, record.ToUtf8()));
        return new CheckpointSnapshot(experimentId, state.Step, state.SpecHash, sections);
    }

    /// <summary>
    /// Puts a verified checkpoint into a freshly prepared state (before the loop's FitStart), on whatever device
    /// the state lives, gives each stateful method its section back and raises AfterLoad. Throws
    /// CheckpointIncompatibleException when the checkpoint does not fit the state.
    /// </summary>
    public static CheckpointStateRecord Restore(TrainingState state, LoadedCheckpoint checkpoint, ILogger? logger = null)
    {
        var sections = checkpoint.Sections;
        var record = CheckpointStateRecord.Parse(Section(sections, StateSection));
        var layout = Layout(state);
        if (!layout.SequenceEqual(record.ParameterLayout) || record.ParameterCount != state.Parameters.Count)
        {
            throw new CheckpointIncompatibleException($"the model's parameters (names, shapes) differ from the ones it was written for ({FirstDifference(layout, record.ParameterLayout)})");
        }

        var master = Section(sections, ParametersSection);
        HostTensors.CopyInto(state.Parameters.Master, master, 0, master.Length, ScalarType.Float32, [state.Parameters.Count]);
        state.Parameters.RefreshCompute();

        RestoreOptimizer(state, record, sections);
        RestoreBuffers(state, record, Section(sections, BuffersSection));
        var random = Section(sections, CpuRandomSection);
        using (var generatorState = empty(random.Length, ScalarType.Byte, CPU))
        {
            generatorState.bytes = random;
            set_rng_state(generatorState);
        }
        if (state.Device.type == DeviceType.CUDA)
        {
            cuda.manual_seed_all(record.CudaSeed ?? CudaSeed(state.Spec.Training.Seed, record.Step));
        }

        state.Step = record.Step;
        state.SkippedSteps = record.SkippedSteps;
        state.Sampler.Seek(record.Cursor);
        state.Evaluations.Clear();
        state.Evaluations.AddRange(record.Evaluations);
        state.ExamplesSeen = record.ExamplesSeen;
        state.TargetsSeen = record.TargetsSeen;
        state.TrainingSeconds = record.TrainingSeconds;
        state.EvaluationSeconds = record.EvaluationSeconds;
        RestoreMethods(state, record, sections);
        MethodEvents.Raise(TrainingEvent.AfterLoad, state, [], logger ?? NullLogger.Instance);
        return record;
    }

    /// <summary>The seed the CUDA generators get at a checkpoint of step <paramref name="step"/>: a mix of both, never negative.</summary>
    public static long CudaSeed(long seed, long step) =>
        (long)(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(step + 1) * 0xBF58476D1CE4E5B9UL) >> 1);

    private static void RestoreOptimizer(TrainingState state, CheckpointStateRecord record, IReadOnlyDictionary<string, byte[]> sections)
    {
        var own = state.Optimizer.State;
        if (!own.Keys.Order(StringComparer.Ordinal).SequenceEqual(record.OptimizerTensors.Select(e => e.Name)))
        {
            throw new CheckpointIncompatibleException(
                $"the optimizer keeps [{string.Join(", ", own.Keys)}], the checkpoint holds [{string.Join(", ", record.OptimizerTensors.Select(e => e.Name))}]");
        }
        foreach (var entry in record.OptimizerTensors)
        {
            var bytes = Section(sections, OptimizerSectionPrefix + entry.Name);
            HostTensors.CopyInto(own[entry.Name], bytes, 0, bytes.Length, Enum.Parse<ScalarType>(entry.DType), entry.Shape);
        }
        state.Optimizer.Steps = record.OptimizerSteps;
    }

    private static void RestoreMethods(TrainingState state, CheckpointStateRecord record, IReadOnlyDictionary<string, byte[]> sections)
    {
        var own = state.Methods.OfType<IStatefulMethod>().ToList();
        if (!own.Select(m => m.Name).SequenceEqual(record.Methods))
        {
            throw new CheckpointIncompatibleException(
                $"the run's methods keep [{string.Join(", ", own.Select(m => m.Name))}], the checkpoint holds [{string.Join(", ", record.Methods)}]");
        }
        foreach (var method in own)
        {
            var name = MethodSectionPrefix + method.Name;
            method.Load(MethodSectionCodec.Decode(method.Name, Section(sections, name)), state);
        }
    }

    private static void RestoreBuffers(TrainingState state, CheckpointStateRecord record, byte[] packed)
    {
        var own = state.ModelBuffers.ToDictionary(b => b.Name, b => b.Buffer);
        if (!own.Keys.Order(StringComparer.Ordinal).SequenceEqual(record.Buffers.Select(e => e.Name)))
        {
            throw new CheckpointIncompatibleException("the model's buffers differ from the ones it was written for");
        }
        foreach (var entry in record.Buffers)
        {
            if (entry.Offset < 0 || entry.Length < 0 || entry.Offset + entry.Length > packed.Length)
            {
                throw new CheckpointIncompatibleException($"buffer {entry.Name} lies outside its section");
            }
            HostTensors.CopyInto(own[entry.Name], packed, (int)entry.Offset, (int)entry.Length, Enum.Parse<ScalarType>(entry.DType), entry.Shape);
        }
    }

    private static (byte[] Packed, List<TensorEntry> Entries) PackBuffers(TrainingState state)
    {
        var entries = new List<TensorEntry>();
        var parts = new List<byte[]>();
        long offset = 0;
        foreach (var (name, buffer) in state.ModelBuffers.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            var bytes = HostTensors.ToBytes(buffer);
            entries.Add(new TensorEntry(name, buffer.dtype.ToString(), buffer.shape, offset, bytes.Length));
            parts.Add(bytes);
            offset += bytes.Length;
        }
        var packed = new byte[offset];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(packed, at);
            at += part.Length;
        }
        return (packed, entries);
    }

    /// <summary>
    /// Where two layouts part, so the error says which parameter changed: e.g. a mixture-of-experts checkpoint from
    /// before the experts were stacked holds blocks.N.moe.experts.E.expand.weight where the model has blocks.N.moe.expand.
    /// </summary>
    private static string FirstDifference(IReadOnlyList<string> model, IReadOnlyList<string> checkpoint)
    {
        var i = 0;
        while (i < model.Count && i < checkpoint.Count && model[i] == checkpoint[i]) i++;
        return $"parameter {i}: the model has {(i < model.Count ? model[i] : "none")}, the checkpoint {(i < checkpoint.Count ? checkpoint[i] : "none")}";
    }

    private static List<string> Layout(TrainingState state) =>
        [.. state.Parameters.Layout.Select(s => $"{s.Name}:{string.Join('x', s.Shape)}")];

    private static byte[] Section(IReadOnlyDictionary<string, byte[]> sections, string name) =>
        sections.TryGetValue(name, out var bytes) ? bytes : throw new CheckpointIncompatibleException($"it has no '{name}' section");
}
