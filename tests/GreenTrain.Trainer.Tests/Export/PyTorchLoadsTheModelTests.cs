using System.Diagnostics;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Export;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Export;

/// <summary>
/// The model files as a PyTorch user meets them: Debian's python3-torch (not TorchSharp) rebuilds the module from
/// model.json, loads model.pt with load_state_dict(strict=True) and model.safetensors by its published layout, and
/// scores GreenTrain's own test split; the accuracy must be the one `train` reported.
/// </summary>
public sealed class PyTorchLoadsTheModelTests : IDisposable
{
    private const string DebianPython = "/usr/bin/python3";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("model-export-");

    [Fact]
    public void Train_writes_a_state_dict_and_safetensors_that_torch_loads_and_scores_the_same()
    {
        var spec = Path.Combine(_folder.FullName, "digits.json");
        File.WriteAllText(spec, """{ "name": "export-digits", "model": { "kind": "mlp", "width": 48, "depth": 2, "dropout": 0.1 }, "training": { "steps": 120, "evalEverySteps": 60 } }""");
        var output = Path.Combine(_folder.FullName, "run");
        var error = new StringWriter();

        var exit = CliApp.Run(TrainerCommandLine.Create(_ => 1), ["train", "--config", spec, "--out", output, "--device", "cpu", "--threads", "1"], new StringWriter(), error);

        exit.Should().Be(0, error.ToString());
        var result = ResultFile.Read(output);
        var architecture = JsonSerializer.Deserialize<ModelArchitecture>(File.ReadAllText(Path.Combine(output, ModelFiles.Architecture)), ExperimentSpecJson.Options)!;
        architecture.Kind.Should().Be("mlp");
        architecture.Width.Should().Be(48);
        architecture.Tensors.Keys.Should().Equal("layers.linear0.weight", "layers.linear0.bias", "layers.linear1.weight", "layers.linear1.bias",
            "layers.classifier.weight", "layers.classifier.bias");

        var testData = WriteTestSplit(ExperimentSpecJson.Parse(File.ReadAllText(spec)).Spec!);
        using var torchResult = JsonDocument.Parse(RunPython(output, testData));
        var examples = torchResult.RootElement.GetProperty("examples").GetInt32();
        var oneExample = 1.0 / examples;

        torchResult.RootElement.GetProperty("state_dict_accuracy").GetDouble().Should().BeApproximately(result.Test.Accuracy!.Value, oneExample,
            "PyTorch, given the state_dict, classifies the test split as GreenTrain did (one example of float-rounding slack)");
        torchResult.RootElement.GetProperty("safetensors_accuracy").GetDouble().Should().BeApproximately(result.Test.Accuracy.Value, oneExample);
        torchResult.RootElement.GetProperty("max_weight_difference").GetDouble().Should().Be(0, "both files hold the same fp32 weights");
        result.Test.Accuracy.Value.Should().BeGreaterThan(0.8, "a trained model, not a random one, is being compared");
    }

    /// <summary>GreenTrain's test split exactly as its evaluator sees it (normalised inputs, labels), as a torch.save'd dict.</summary>
    private string WriteTestSplit(ExperimentSpec spec)
    {
        using var data = DataSetFactory.Open(spec, CPU);
        using var indices = arange(data.Test.Count, dtype: ScalarType.Int64);
        using var batch = data.Test.Gather(indices);
        var path = Path.Combine(_folder.FullName, "test-split.pt");
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, new Dictionary<string, Tensor> { ["x"] = batch.Input, ["y"] = batch.Target }, leaveOpen: true);
        return path;
    }

    private static string RunPython(string modelFolder, string testData)
    {
        File.Exists(DebianPython).Should().BeTrue("Debian's python3 with python3-torch runs this test (tests/run.sh installs both)");
        var info = new ProcessStartInfo(DebianPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Export", "pytorch_user.py"));
        info.ArgumentList.Add(modelFolder);
        info.ArgumentList.Add(testData);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"python3 pytorch_user.py failed (is python3-torch installed?): {stderr.Result}");
        return stdout;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
