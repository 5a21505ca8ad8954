using System.Diagnostics;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine;
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

    [Fact]
    public void A_quantization_aware_cnn_exports_int8_weights_that_torch_decodes_and_scores_as_greentrain_did()
    {
        var (output, result, torch) = TrainAndLoad("qat-cnn",
            """{ "name": "export-qat-cnn", "model": { "kind": "cnn", "width": 8, "depth": 2, "dropout": 0 }, "training": { "steps": 150, "evalEverySteps": 75, "methods": [ { "kind": "quantization-aware" } ] } }""");
        var oneExample = 1.0 / torch.GetProperty("examples").GetInt32();

        // The fp32 master weights load strictly into torch's Conv2d/BatchNorm2d modules (the run's own test score is of its
        // fake-quantised forward pass, so the int8 export below is what reproduces it).
        torch.GetProperty("state_dict_accuracy").GetDouble().Should().BeGreaterThan(0.7);
        torch.GetProperty("max_weight_difference").GetDouble().Should().Be(0);
        var architecture = ReadArchitecture(output);
        var int8 = architecture.Exports!.Single();
        int8.Encoding.Should().Be(CompressedModelFiles.Int8Encoding);
        int8.EncodedWeights.Should().Equal("layers.conv0.weight", "layers.conv1.weight", "layers.classifier.weight");
        int8.Dtypes["layers.conv0.weight"].Should().Be("int8");
        int8.Tensors["layers.conv1.weight_scale"].Should().Equal([16L]);
        int8.Tensors.Keys.Should().Contain("layers.conv1.input_scale");
        var scored = torch.GetProperty("exports").GetProperty(CompressedModelFiles.Int8Encoding);
        scored.GetProperty("files_agree").GetBoolean().Should().BeTrue("model-int8.pt and model-int8.safetensors hold the same tensors");
        var greenTrainInt8 = result.Methods["quantization-aware"]["int8Export"]!["testAccuracy"]!.GetValue<double>();
        scored.GetProperty("accuracy").GetDouble().Should().BeApproximately(greenTrainInt8, oneExample,
            "int8 weights (q x scale) and int8-rounded layer inputs in torch give GreenTrain's int8 test accuracy");
        greenTrainInt8.Should().BeGreaterThan(0.7, "a trained model, not a random one, is being compared");
        new FileInfo(Path.Combine(output, "model-int8.safetensors")).Length.Should().BeLessThan(new FileInfo(Path.Combine(output, ModelFiles.Safetensors)).Length);
    }

    [Fact]
    public void A_low_bit_quantization_aware_cnn_names_its_widths_in_model_json_and_torch_scores_it_on_that_grid()
    {
        var (output, result, torch) = TrainAndLoad("qat4-cnn",
            """{ "name": "export-qat4-cnn", "model": { "kind": "cnn", "width": 8, "depth": 2, "dropout": 0 }, "training": { "steps": 150, "evalEverySteps": 75, "methods": [ { "kind": "quantization-aware", "bits": 4, "activationBits": 6 } ] } }""");
        var oneExample = 1.0 / torch.GetProperty("examples").GetInt32();

        var set = ReadArchitecture(output).Exports!.Single();
        set.Encoding.Should().Be(CompressedModelFiles.Int8Encoding, "4-bit levels travel in int8 containers");
        (set.WeightBits, set.ActivationBits).Should().Be((4, 6));
        var scored = torch.GetProperty("exports").GetProperty(CompressedModelFiles.Int8Encoding);
        var greenTrain = result.Methods["quantization-aware"]["int8Export"]!["testAccuracy"]!.GetValue<double>();
        scored.GetProperty("accuracy").GetDouble().Should().BeApproximately(greenTrain, oneExample,
            "torch, clamping layer inputs to the 6-bit grid model.json names, gives GreenTrain's score of the same export");
        greenTrain.Should().BeGreaterThan(0.7, "a trained model, not a random one, is being compared");
    }

    [Fact]
    public void A_pruned_cnn_exports_sparse_weights_that_torch_expands_and_scores_as_greentrain_did()
    {
        var (output, result, torch) = TrainAndLoad("pruned-cnn",
            """{ "name": "export-pruned-cnn", "model": { "kind": "cnn", "width": 8, "depth": 2, "dropout": 0 }, "training": { "steps": 150, "evalEverySteps": 75, "methods": [ { "kind": "magnitude-pruning", "finalSparsity": 0.7 } ] } }""");
        var oneExample = 1.0 / torch.GetProperty("examples").GetInt32();

        var sparse = ReadArchitecture(output).Exports!.Single();
        sparse.Encoding.Should().Be(CompressedModelFiles.SparseEncoding);
        sparse.Tensors.Keys.Should().Contain(["layers.conv0.weight_mask", "layers.conv0.weight_values"]).And.NotContain("layers.conv0.weight");
        var scored = torch.GetProperty("exports").GetProperty(CompressedModelFiles.SparseEncoding);
        scored.GetProperty("files_agree").GetBoolean().Should().BeTrue();
        scored.GetProperty("weight_density").GetDouble().Should().BeApproximately(0.3, 0.02, "70% of the layer weights were pruned away");
        scored.GetProperty("accuracy").GetDouble().Should().BeApproximately(result.Test.Accuracy!.Value, oneExample,
            "the expanded sparse weights are the pruned model GreenTrain scored");
        result.Test.Accuracy.Value.Should().BeGreaterThan(0.7);
    }

    [Fact]
    public void A_gpt_state_dict_loads_into_an_equivalent_torch_transformer_with_the_same_test_loss()
    {
        const string corpus = "/usr/share/games/fortunes/pets";
        File.Exists(corpus).Should().BeTrue("the fortunes package gives the text corpus (tests/run.sh installs it)");
        var (output, result, torch) = TrainAndLoad("gpt",
            $$"""{ "name": "export-gpt", "dataset": { "kind": "text", "path": "{{corpus}}" }, "model": { "kind": "gpt", "width": 32, "depth": 2, "heads": 2, "contextLength": 16, "dropout": 0 }, "training": { "steps": 60, "evalEverySteps": 30 } }""");

        ReadArchitecture(output).Tensors.Keys.Should().Contain(["tokenEmbedding.weight", "blocks.1.qkv.weight", "head.weight"]);
        torch.GetProperty("state_dict_loss").GetDouble().Should().BeApproximately(result.Test.Loss, 1e-4 * result.Test.Loss,
            "torch's transformer, given the state_dict, has GreenTrain's test loss on the same tokens");
        result.Test.Loss.Should().BeLessThan(Math.Log(256) - 1, "a trained model, not a random one, is being compared");
    }

    private (string Output, TrainingResult Result, JsonElement Torch) TrainAndLoad(string name, string specJson)
    {
        var spec = Path.Combine(_folder.FullName, name + ".json");
        File.WriteAllText(spec, specJson);
        var output = Path.Combine(_folder.FullName, name);
        var error = new StringWriter();
        var exit = CliApp.Run(TrainerCommandLine.Create(_ => 1), ["train", "--config", spec, "--out", output, "--device", "cpu", "--threads", "1"], new StringWriter(), error);
        exit.Should().Be(0, error.ToString());
        var testData = WriteTestSplit(ExperimentSpecJson.Parse(File.ReadAllText(spec)).Spec!);
        using var document = JsonDocument.Parse(RunPython(output, testData));
        return (output, ResultFile.Read(output), document.RootElement.Clone());
    }

    private static ModelArchitecture ReadArchitecture(string output) =>
        JsonSerializer.Deserialize<ModelArchitecture>(File.ReadAllText(Path.Combine(output, ModelFiles.Architecture)), ExperimentSpecJson.Options)!;

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
