using System.Security.Cryptography;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Export;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// Loads a teacher from the files a run exports (ModelFiles): model.json says how to rebuild the network,
/// model.safetensors holds every parameter and buffer by name. Every problem is reported at the spec's path.
/// </summary>
public static class TeacherFiles
{
    /// <param name="given">teacher.modelFile as the spec gives it: the folder, or the path of either file in it.</param>
    /// <param name="path">The JSON path of teacher.modelFile, for errors.</param>
    public static Teacher Load(string given, string path)
    {
        var folder = Directory.Exists(given) ? given
            : File.Exists(given) ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(given))!
            : throw new TeacherUnavailableException(path, $"there is no file or folder '{given}'");
        var architecture = ReadArchitecture(System.IO.Path.Combine(folder, ModelFiles.Architecture), path);
        var weights = System.IO.Path.Combine(folder, ModelFiles.Safetensors);
        if (!File.Exists(weights)) throw new TeacherUnavailableException(path, $"'{weights}' is missing: model.json needs its weights beside it");

        var network = Build(architecture, path);
        try
        {
            Dictionary<string, Tensor> tensors;
            try
            {
                tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(weights);
            }
            catch (Exception e) when (e is not TeacherUnavailableException)
            {
                throw new TeacherUnavailableException(path, $"'{weights}' is not a readable safetensors file ({e.Message})");
            }
            try
            {
                CopyStateDict(network, tensors, weights, path);
            }
            finally
            {
                foreach (var tensor in tensors.Values) tensor.Dispose();
            }
            return new Teacher(network, $"modelFile:{System.IO.Path.GetFullPath(folder)}", Digest(weights), architecture.InputShape, architecture.Classes);
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }

    private static ModelArchitecture ReadArchitecture(string file, string path)
    {
        if (!File.Exists(file)) throw new TeacherUnavailableException(path, $"'{file}' is missing: a teacher's folder holds model.json and model.safetensors");
        ModelArchitecture? architecture;
        try
        {
            architecture = JsonSerializer.Deserialize<ModelArchitecture>(File.ReadAllText(file), ExperimentSpecJson.Options);
        }
        catch (JsonException e)
        {
            throw new TeacherUnavailableException(path, $"'{file}' is not a model.json GreenTrain wrote ({e.Message})");
        }
        if (architecture?.Format != ModelArchitecture.CurrentFormat)
        {
            throw new TeacherUnavailableException(path, $"'{file}' has format '{architecture?.Format}', not '{ModelArchitecture.CurrentFormat}'");
        }
        return architecture;
    }

    /// <summary>The network model.json describes, built without disturbing the run's random generator (its initial weights are overwritten anyway).</summary>
    private static INetwork Build(ModelArchitecture architecture, string path)
    {
        ModelKind kind;
        try
        {
            kind = JsonSerializer.Deserialize<ModelKind>($"\"{architecture.Kind}\"", ExperimentSpecJson.Options);
        }
        catch (JsonException)
        {
            throw new TeacherUnavailableException(path, $"model.json names kind '{architecture.Kind}', which this Trainer cannot build");
        }
        var model = new ModelSpec
        {
            Kind = kind, Width = architecture.Width, Depth = architecture.Depth, Heads = architecture.Heads ?? 1,
            ContextLength = architecture.ContextLength ?? 1, Dropout = architecture.Dropout,
        };
        using var generator = get_rng_state();
        try
        {
            return NetworkFactory.Create(model, architecture.InputShape, architecture.Classes);
        }
        finally
        {
            set_rng_state(generator);
        }
    }

    /// <summary>Every parameter and buffer of the network from the file, by name and shape; a missing or misshapen one is an error.</summary>
    private static void CopyStateDict(INetwork network, Dictionary<string, Tensor> tensors, string weights, string path)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in network.Module.state_dict())
        {
            if (!tensors.TryGetValue(name, out var source))
                throw new TeacherUnavailableException(path, $"'{weights}' has no tensor '{name}' that model.json's network needs");
            if (!source.shape.SequenceEqual(target.shape))
                throw new TeacherUnavailableException(path, $"'{weights}' holds '{name}' as [{string.Join(", ", source.shape)}], model.json's network needs [{string.Join(", ", target.shape)}]");
            target.copy_(source.to(target.dtype));
        }
    }

    private static string Digest(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
