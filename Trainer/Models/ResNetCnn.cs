using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>
/// A ResNet-style CNN for small images: a 3x3 stem of width channels, three stages of depth residual
/// blocks (width, 2 width, 4 width channels; the last two halve the resolution), global average
/// pooling and a linear classifier.
/// </summary>
public sealed class ResNetCnn : nn.Module<Tensor, Tensor>, INetwork
{
    private readonly Sequential stem, stages;
    private readonly Linear classifier;

    public ResNetCnn(long[] imageShape, int width, int depth, int classes) : base(nameof(ResNetCnn))
    {
        var (channels, side) = (imageShape[0], imageShape[1]);
        stem = nn.Sequential(nn.Conv2d(channels, width, 3, padding: 1, bias: false), nn.BatchNorm2d(width), nn.ReLU());
        ForwardFlopsPerExample = 2.0 * channels * width * 9 * side * side;

        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = width;
        for (var stage = 0; stage < 3; stage++)
        {
            var outChannels = (long)width << stage;
            for (var b = 0; b < depth; b++)
            {
                var stride = stage > 0 && b == 0 ? 2 : 1;
                side = stride == 2 ? (side + 1) / 2 : side;
                var block = new ResidualBlock(inChannels, outChannels, stride, side);
                ForwardFlopsPerExample += block.ForwardFlops;
                blocks.Add(($"stage{stage}_block{b}", block));
                inChannels = outChannels;
            }
        }

        stages = nn.Sequential(blocks);
        classifier = nn.Linear(inChannels, classes);
        ForwardFlopsPerExample += 2.0 * inChannels * classes;
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> Module => this;

    public double ForwardFlopsPerExample { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = stages.forward(stem.forward(input)).mean([2, 3]);
        return classifier.forward(features).MoveToOuterDisposeScope();
    }
}
