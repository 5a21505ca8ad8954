using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine.Optimizers;

/// <summary>AdamW (Loshchilov and Hutter, 2019) over one flat fp32 buffer, with its moments in fp32.</summary>
public sealed class AdamW : IFlatOptimizer
{
    private const double Epsilon = 1e-8;
    private readonly FlatParameters _parameters;
    private readonly OptimizerSpec _spec;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;

    public AdamW(FlatParameters parameters, OptimizerSpec spec)
    {
        _parameters = parameters;
        _spec = spec;
        _firstMoment = zeros_like(parameters.Master).DetachFromDisposeScope();
        _secondMoment = zeros_like(parameters.Master).DetachFromDisposeScope();
    }

    public long Steps { get; set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["exp_avg"] = _firstMoment, ["exp_avg_sq"] = _secondMoment };

    public void Step(double learningRate)
    {
        Steps++;
        using var scope = NewDisposeScope();
        Update(_parameters.Master, _parameters.MasterGrad, _firstMoment, _secondMoment, Steps, learningRate, _spec, _parameters.DecayCount);
    }

    /// <summary>
    /// The maths, in place: decoupled decay p -= lr*wd*p on the decayed slice; m = b1 m + (1-b1) g;
    /// v = b2 v + (1-b2) g^2; p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
    /// </summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor m, Tensor v, long step, double learningRate, OptimizerSpec spec, long decayCount)
    {
        if (spec.WeightDecay > 0 && decayCount > 0)
        {
            parameter.narrow(0, 0, decayCount).mul_(1 - learningRate * spec.WeightDecay);
        }

        m.mul_(spec.Beta1).add_(gradient, alpha: 1 - spec.Beta1);
        v.mul_(spec.Beta2).addcmul_(gradient, gradient, value: 1 - spec.Beta2);
        var biasCorrection1 = 1 - Math.Pow(spec.Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(spec.Beta2, step);
        var denominator = v.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(Epsilon);
        parameter.addcdiv_(m, denominator, value: -learningRate / biasCorrection1);
    }

    public void Dispose()
    {
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }
}
