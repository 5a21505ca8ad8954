using System.Security.Cryptography;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// Rebuilds a teacher from a stored checkpoint of its experiment: the network from the teacher's own spec (its width
/// and depth, shaped to the student's data), then every parameter from the fp32 master section by the layout the
/// checkpoint records, and the buffers (batch-norm statistics). The teacher is what its run had trained at that step.
/// </summary>
public static class CheckpointTeacher
{
    public static Teacher Build(string experimentId, ExperimentSpec teacherSpec, LoadedCheckpoint checkpoint, long[] exampleShape, int classes, string path)
    {
        CheckpointStateRecord record;
        byte[] master, buffers;
        try
        {
            record = CheckpointStateRecord.Parse(checkpoint.Sections[TrainingCheckpoint.StateSection]);
            master = checkpoint.Sections[TrainingCheckpoint.ParametersSection];
            buffers = checkpoint.Sections[TrainingCheckpoint.BuffersSection];
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new TeacherUnavailableException(path, $"experiment '{experimentId}' has a checkpoint this Trainer cannot read ({e.Message})");
        }

        INetwork network;
        using (var generator = get_rng_state())
        {
            network = NetworkFactory.Create(teacherSpec.Model, exampleShape, classes);
            set_rng_state(generator);
        }
        try
        {
            CopyParameters(network, record, master, experimentId, path);
            var own = network.Module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
            foreach (var entry in record.Buffers)
            {
                if (own.TryGetValue(entry.Name, out var buffer))
                    HostTensors.CopyInto(buffer, buffers, (int)entry.Offset, (int)entry.Length, Enum.Parse<ScalarType>(entry.DType), entry.Shape);
            }
            var digest = Convert.ToHexStringLower(SHA256.HashData(master));
            var shape = teacherSpec.Model.Kind == ModelKind.Gpt ? [teacherSpec.Model.ContextLength] : exampleShape;
            return new Teacher(network, $"experiment:{experimentId}@{checkpoint.Manifest.CheckpointId}", digest, shape, classes);
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }

    /// <summary>The master section holds the parameters one after another in the recorded layout ("name:AxB"), as fp32.</summary>
    private static void CopyParameters(INetwork network, CheckpointStateRecord record, byte[] master, string experimentId, string path)
    {
        var own = network.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = own.Select(p => $"{p.Key}:{string.Join('x', p.Value.shape)}").Order(StringComparer.Ordinal);
        if (!record.ParameterLayout.Order(StringComparer.Ordinal).SequenceEqual(expected))
        {
            throw new TeacherUnavailableException(path,
                $"experiment '{experimentId}''s checkpoint holds other parameters than its spec's {TeacherKind(network)} shaped to the student's data: it was trained on data of another shape, classes or vocabulary");
        }
        long offset = 0;
        using var noGrad = no_grad();
        foreach (var slot in record.ParameterLayout)
        {
            var name = slot[..slot.LastIndexOf(':')];
            var parameter = own[name];
            var bytes = checked((int)(parameter.numel() * sizeof(float)));
            HostTensors.CopyInto(parameter, master, (int)offset, bytes, ScalarType.Float32, parameter.shape);
            offset += bytes;
        }
    }

    private static string TeacherKind(INetwork network) => network.GetType().Name;
}
