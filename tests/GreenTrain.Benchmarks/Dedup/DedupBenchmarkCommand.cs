using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>The `dedup` verb of the benchmark program: one option per <see cref="DedupArguments"/> setting, defaults from it.</summary>
public static class DedupBenchmarkCommand
{
    public static Command Create()
    {
        var d = new DedupArguments();
        var share = CliOptions.Number("--share", "share of the set re-added as copies (a third exact, two thirds noisy or edited)", d.Share, 0.01, 1);
        var seed = CliOptions.Int("--seed", "seed of the injection", d.Seed, min: 0);
        var threshold = CliOptions.Number("--threshold", "near stage's Jaccard threshold", d.Threshold, 0.01, 1);
        var shingle = CliOptions.Int("--shingle-size", "text: byte n-gram size", d.ShingleSize);
        var hashSide = CliOptions.Int("--hash-side", "images: side of the low-frequency DCT block compared (16 = 255 coefficients)", d.HashSide, min: 4);
        var imageCosine = CliOptions.Number("--image-cosine", "images: near stage's cosine floor", d.ImageCosine, 0.01, 1);
        var imageDifference = CliOptions.Number("--image-difference", "images: near stage's largest RMS difference (fraction of full scale)", d.ImageDifference, 1e-4, 1);
        var device = CliOptions.Device(d.Device, "the training comparison's device: cpu, cuda or cuda:N (the dedup stages use the CPU cores)");
        var libTorch = new Option<string?>("--libtorch") { Description = "folder of an external (PyTorch) LibTorch for CUDA", HelpName = "DIR" };
        var train = new Option<bool>("--train") { Description = "train with and without dedup (false: detection only)", DefaultValueFactory = _ => d.Train };
        var semantic = new Option<bool>("--semantic") { Description = "run the semantic stage before training", DefaultValueFactory = _ => d.Semantic };
        var eps = CliOptions.Number("--eps", "semantic stage's eps", d.Eps, 1e-6, 1);
        var proxy = CliOptions.Int("--proxy-steps", "steps of the semantic stage's proxy run", d.ProxySteps);
        var model = new Option<ModelKind>("--model") { Description = "the model trained (mlp or cnn)", DefaultValueFactory = _ => d.Model };
        var width = CliOptions.Int("--width", "model width", d.Width);
        var depth = CliOptions.Int("--depth", "model depth", d.Depth);
        var epochs = CliOptions.Int("--epochs", "epochs of each training run", d.Epochs);
        var evalEvery = CliOptions.Int("--eval-every", "steps between evaluations", d.EvalEvery);
        var seeds = CliOptions.Int("--seeds", "training seeds: full and dedup runs each train once per seed (1337, 1338, ...)", d.Seeds);
        var threads = CliOptions.Int("--threads", "LibTorch CPU threads", d.Threads);
        var epochSteps = CliOptions.Int("--epoch-steps", "steps measured to price one epoch of the MLP and of the CNN spec beside the stage (0: not measured)", d.EpochSteps, min: 0);
        var cnnSpec = new Option<string>("--cnn-spec") { Description = "the CNN spec whose epoch the stage is also priced against", HelpName = "FILE", DefaultValueFactory = _ => d.CnnSpec };
        var text = new Option<string>("--text") { Description = "fortune files", HelpName = "DIR", DefaultValueFactory = _ => d.Text };
        var output = new Option<string>("--output") { Description = "results file (JSON)", HelpName = "FILE", DefaultValueFactory = _ => d.Output };
        var command = new Command("dedup", "Precision and recall of each dedup stage on injected duplicates (Fashion-MNIST, fortunes), and training energy to target with and without dedup.")
        {
            share, seed, threshold, shingle, hashSide, imageCosine, imageDifference, device, libTorch, train, semantic, eps, proxy, model, width, depth, epochs, evalEvery, seeds, threads, epochSteps, cnnSpec, text, output,
        };
        command.SetAction(p => DedupBenchmark.Run(d with
        {
            Share = p.GetValue(share), Seed = p.GetValue(seed), Threshold = p.GetValue(threshold), ShingleSize = p.GetValue(shingle),
            HashSide = p.GetValue(hashSide), ImageCosine = p.GetValue(imageCosine), ImageDifference = p.GetValue(imageDifference), Device = p.GetValue(device), LibTorch = p.GetValue(libTorch), Train = p.GetValue(train), Semantic = p.GetValue(semantic), Eps = p.GetValue(eps),
            ProxySteps = p.GetValue(proxy), Model = p.GetValue(model), Width = p.GetValue(width), Depth = p.GetValue(depth),
            Epochs = p.GetValue(epochs), EvalEvery = p.GetValue(evalEvery), Seeds = p.GetValue(seeds), Threads = p.GetValue(threads), EpochSteps = p.GetValue(epochSteps), CnnSpec = p.GetValue(cnnSpec)!, Text = p.GetValue(text)!, Output = p.GetValue(output)!,
        }));
        return command;
    }
}
