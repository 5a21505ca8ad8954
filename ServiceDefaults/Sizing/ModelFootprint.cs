using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Sizing;

/// <summary>
/// What a spec's model costs in memory, worked out from the spec alone (nothing is allocated): its parameter count,
/// and the bytes training holds at once: fp32 master weights and their gradients, the optimizer's state, a 16-bit
/// compute copy under bf16/fp16, and the activations kept for the backward pass at the batch size. The Scheduler
/// refuses a spec past its limit at submission and the worker again before it builds the model, so a width of 65536
/// and a depth of 256 (a trillion parameters) is a clear refusal rather than a worker swapping itself to death.
/// The parameter counts mirror the Trainer's networks exactly (a Trainer test builds each kind and compares).
/// </summary>
public sealed record ModelFootprint(double Parameters, double WeightBytes, double OptimizerBytes, double ActivationBytes)
{
    public double TotalBytes => WeightBytes + OptimizerBytes + ActivationBytes;

    public double TotalGiB => TotalBytes / (1L << 30);

    public static ModelFootprint Of(ExperimentSpec spec)
    {
        var (shape, classes) = DataShape.Of(spec.Dataset);
        var m = spec.Model;
        var (parameters, activationsPerExample) = m.Kind switch
        {
            ModelKind.Mlp => Mlp(shape[0] * shape[1] * shape[2], m.Width, m.Depth, classes),
            ModelKind.Cnn => Cnn(shape, m.Width, m.Depth, classes),
            ModelKind.ResNet => ResNet(shape, m.Width, m.Depth, classes),
            _ => Gpt(classes, m.ContextLength, m.Width, m.Depth, m.Heads, m.Moe),
        };
        var t = spec.Training;
        var sixteenBit = t.Precision != PrecisionKind.Fp32;
        // fp32 master weights and gradients, plus the 16-bit copy the forward pass reads under mixed precision.
        var weights = parameters * (4 + 4 + (sixteenBit ? 2 : 0));
        var optimizerFloats = t.Optimizer.Kind == OptimizerKind.AdamW ? 2 : t.Optimizer.Momentum > 0 ? 1 : 0;
        var activations = activationsPerExample * t.BatchSize * (sixteenBit ? 2 : 4);
        return new ModelFootprint(parameters, weights, parameters * 4 * optimizerFloats, activations);
    }

    /// <summary>Linear layers of width units (weights and biases) and a classifier; each layer's output and ReLU kept.</summary>
    private static (double, double) Mlp(double inputs, double width, int depth, double classes)
    {
        double parameters = 0, activations = inputs, fanIn = inputs;
        for (var i = 0; i < depth; i++)
        {
            parameters += fanIn * width + width;
            activations += 2 * width;
            fanIn = width;
        }
        return (parameters + fanIn * classes + classes, activations + classes);
    }

    /// <summary>Conv stages (3x3, no bias, batch norm, 2x2 pooling) doubling channels; conv, norm and ReLU outputs kept per stage.</summary>
    private static (double, double) Cnn(long[] shape, double width, int depth, double classes)
    {
        double channels = shape[0], height = shape[1], side = shape[2], parameters = 0, activations = channels * height * side;
        for (var i = 0; i < depth; i++)
        {
            var outChannels = width * Math.Pow(2, i);
            parameters += channels * outChannels * 9 + 2 * outChannels;
            activations += 3.25 * outChannels * height * side; // conv, norm, ReLU at full size, the pooled quarter
            (channels, height, side) = (outChannels, Math.Floor(height / 2), Math.Floor(side / 2));
        }
        var features = channels * height * side;
        return (parameters + features * classes + classes, activations + classes);
    }

    /// <summary>A stem and three stages of residual blocks (two 3x3 convs with batch norm, a 1x1 shortcut where the shape changes).</summary>
    private static (double, double) ResNet(long[] shape, double width, int depth, double classes)
    {
        double side = shape[1], parameters = shape[0] * width * 9 + 2 * width, activations = 3 * width * side * side, inChannels = width;
        for (var stage = 0; stage < 3; stage++)
        {
            var outChannels = width * Math.Pow(2, stage);
            for (var b = 0; b < depth; b++)
            {
                var stride = stage > 0 && b == 0 ? 2 : 1;
                side = stride == 2 ? Math.Floor((side + 1) / 2) : side;
                parameters += inChannels * outChannels * 9 + 2 * outChannels + outChannels * outChannels * 9 + 2 * outChannels;
                if (stride != 1 || inChannels != outChannels)
                {
                    parameters += inChannels * outChannels + 2 * outChannels;
                }
                activations += 7 * outChannels * side * side;
                inChannels = outChannels;
            }
        }
        return (parameters + inChannels * classes + classes, activations + classes);
    }

    /// <summary>
    /// Token and position embeddings, blocks of 12 w^2 weights and two layer norms, a final norm and an untied head.
    /// Activations per layer follow Korthikanti et al., "Reducing Activation Recomputation in Large Transformer
    /// Models" (2022), section 4: s*b*h*(34 + 5*a*s/h) bytes at 16 bits, that is 17*s*h + 2.5*a*s^2 values per sequence.
    /// </summary>
    /// <remarks>An MoE block (model.moe) has a router (width x experts) and every expert's MLP instead of the dense 8 w^2; all are held in memory.</remarks>
    private static (double, double) Gpt(double vocabulary, double context, double width, int layers, double heads, MoeSpec? moe)
    {
        var parameters = vocabulary * width + context * width + layers * (12 * width * width + 4 * width) + 2 * width + width * vocabulary;
        if (moe is not null)
        {
            var moeBlocks = (layers + moe.EveryNthBlock - 1) / moe.EveryNthBlock;
            var hidden = moe.ExpertHidden ?? 4 * width;
            parameters += moeBlocks * (width * moe.Experts + moe.Experts * 2 * width * hidden - 8 * width * width);
        }
        var activations = layers * (17 * context * width + 2.5 * heads * context * context) + 2 * context * vocabulary;
        return (parameters, activations);
    }
}
