using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine.Optimizers;

/// <summary>SGD with momentum (PyTorch's formulation) and L2 weight decay on the decayed slice, over one flat buffer.</summary>
public sealed class Sgd : IFlatOptimizer
{
    private readonly FlatParameters _parameters;
    private readonly OptimizerSpec _spec;
    private readonly Tensor _velocity;

    public Sgd(FlatParameters parameters, OptimizerSpec spec)
    {
        _parameters = parameters;
        _spec = spec;
        _velocity = zeros_like(parameters.Master).DetachFromDisposeScope();
    }

    public long Steps { get; set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["momentum_buffer"] = _velocity };

    public void Step(double learningRate)
    {
        Steps++;
        using var scope = NewDisposeScope();
        Update(_parameters.Master, _parameters.MasterGrad, _velocity, Steps, learningRate, _spec, _parameters.DecayCount);
    }

    /// <summary>g += wd*p (decayed slice); v = momentum v + g (v = g on the first step); p -= lr v.</summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor velocity, long step, double learningRate, OptimizerSpec spec, long decayCount)
    {
        if (spec.WeightDecay > 0 && decayCount > 0)
        {
            gradient.narrow(0, 0, decayCount).add_(parameter.narrow(0, 0, decayCount), alpha: spec.WeightDecay);
        }

        if (spec.Momentum > 0)
        {
            if (step == 1) velocity.copy_(gradient);
            else velocity.mul_(spec.Momentum).add_(gradient);
            parameter.add_(velocity, alpha: -learningRate);
        }
        else
        {
            parameter.add_(gradient, alpha: -learningRate);
        }
    }

    public void Dispose() => _velocity.Dispose();
}
