using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>A multilayer perceptron: flatten, then depth x (linear, ReLU, dropout), then a linear classifier.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, INetwork
{
    private readonly Sequential layers;

    public Mlp(long inputs, int width, int depth, int classes, double dropout) : base(nameof(Mlp))
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()) };
        var fanIn = inputs;
        for (var i = 0; i < depth; i++)
        {
            modules.Add(($"linear{i}", nn.Linear(fanIn, width)));
            modules.Add(($"relu{i}", nn.ReLU()));
            if (dropout > 0) modules.Add(($"dropout{i}", nn.Dropout(dropout)));
            ForwardFlopsPerExample += 2.0 * fanIn * width;
            fanIn = width;
        }

        modules.Add(("classifier", nn.Linear(fanIn, classes)));
        ForwardFlopsPerExample += 2.0 * fanIn * classes;
        layers = nn.Sequential(modules);
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> Module => this;

    public double ForwardFlopsPerExample { get; }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
