using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Export;

/// <summary>
/// Writes a trained network as files other tools load: model.safetensors (Hugging Face's format), model.pt (a
/// PyTorch state_dict for `module.load_state_dict(torch.load(...))`) and model.json (<see cref="ModelArchitecture"/>).
/// The weights are the fp32 master copy, so a bf16/fp16 run exports what the optimizer trained, not its 16-bit
/// working copy; buffers (batch-norm statistics) are included as a state_dict has them. Each file is written to a
/// temporary name and renamed, so a crash never leaves half a model under the final name.
/// </summary>
public static class ModelFiles
{
    public const string Safetensors = "model.safetensors";
    public const string StateDict = "model.pt";
    public const string Architecture = "model.json";

    private static readonly JsonSerializerOptions Json = new(ExperimentSpecJson.Options) { WriteIndented = true };

    /// <summary>Writes the three files into <paramref name="folder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, TrainingState state)
    {
        Directory.CreateDirectory(folder);
        var tensors = StateDictOf(state);
        try
        {
            var paths = new List<string> { Path.Combine(folder, Safetensors), Path.Combine(folder, StateDict) };
            WriteWeights(paths[0], paths[1], tensors);
            var exports = CompressedModelFiles.Write(folder, state, tensors);
            paths.AddRange(exports.SelectMany(e => new[] { Path.Combine(folder, e.Safetensors), Path.Combine(folder, e.StateDict) }));
            var architecture = ModelArchitecture.From(state.Spec.Model, state.Data.Name, state.Data.ExampleShape, state.Data.Classes,
                tensors.ToDictionary(t => t.Key, t => t.Value.shape)) with { Exports = exports };
            // model.json last: it names the other files, so it never points at one not yet written.
            paths.Add(Path.Combine(folder, Architecture));
            Atomically(paths[^1], stream => JsonSerializer.Serialize(stream, architecture, Json));
            return paths;
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>One set of tensors as safetensors and as a PyTorch state_dict, each written atomically.</summary>
    public static void WriteWeights(string safetensorsPath, string stateDictPath, Dictionary<string, Tensor> tensors)
    {
        Atomically(safetensorsPath, stream => TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, tensors, leaveOpen: true));
        Atomically(stateDictPath, stream => PyTorchPickler.PickleStateDict(stream, tensors, leaveOpen: true));
    }

    /// <summary>The module's state_dict order (parameters and buffers by name) with fp32 CPU copies of the master weights.</summary>
    private static Dictionary<string, Tensor> StateDictOf(TrainingState state)
    {
        using var scope = NewDisposeScope();
        var master = state.Parameters.MasterByName();
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in state.Network.Module.state_dict())
        {
            var source = master.TryGetValue(name, out var fp32) ? fp32 : tensor;
            result[name] = source.detach().to(CPU).contiguous().clone().MoveToOuterDisposeScope();
        }
        return result;
    }

    private static void Atomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            write(stream);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
