using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>
/// He et al.'s (2016) basic block: two 3x3 convolutions with batch norm, added to the input (through
/// a 1x1 convolution when the shape changes), then ReLU.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d norm1, norm2;
    private readonly Sequential? shortcut;

    public ResidualBlock(long inChannels, long outChannels, long stride, long outSide) : base(nameof(ResidualBlock))
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        norm1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        norm2 = nn.BatchNorm2d(outChannels);
        var outPixels = (double)outSide * outSide;
        ForwardFlops = 2.0 * outPixels * 9 * (inChannels * outChannels + outChannels * outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = nn.Sequential(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels));
            ForwardFlops += 2.0 * outPixels * inChannels * outChannels;
        }

        RegisterComponents();
    }

    public double ForwardFlops { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var main = norm2.forward(conv2.forward(nn.functional.relu(norm1.forward(conv1.forward(input)))));
        var skip = shortcut is null ? input : shortcut.forward(input);
        return nn.functional.relu(main + skip).MoveToOuterDisposeScope();
    }
}
