using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Engine.Optimizers;

/// <summary>Our flat-buffer optimizers against LibTorch's own, on the same model and gradients.</summary>
public sealed class FlatOptimizerTests
{
    private static (Mlp Model, Tensor X, Tensor Y) Problem()
    {
        manual_seed(11);
        return (new Mlp(6, 5, 1, 3, 0), randn(16, 6), randint(0, 3, [16]));
    }

    private static Tensor LossOf(Mlp model, Tensor x, Tensor y) => nn.functional.cross_entropy(model.forward(x), y);

    [Theory]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void Matches_libtorch_step_for_step(OptimizerKind kind)
    {
        var spec = new OptimizerSpec { Kind = kind, LearningRate = 0.05, WeightDecay = 0.0, Momentum = 0.9 };
        var (ours, x, y) = Problem();
        var (reference, _, _) = Problem();
        using var flat = FlatParameters.Flatten(ours);
        using var optimizer = GreenTrain.Trainer.Engine.Optimizers.OptimizerFactory.Create(flat, spec);
        var torchOptimizer = kind == OptimizerKind.AdamW
            ? (optim.Optimizer)optim.AdamW(reference.parameters(), 0.05, 0.9, 0.999, 1e-8, 0.0)
            : optim.SGD(reference.parameters(), 0.05, 0.9);

        for (var step = 0; step < 5; step++)
        {
            flat.MasterGrad.zero_();
            LossOf(ours, x, y).backward();
            optimizer.Step(0.05);
            torchOptimizer.zero_grad();
            LossOf(reference, x, y).backward();
            torchOptimizer.step();
        }

        foreach (var ((name, a), (_, b)) in ours.named_parameters().Zip(reference.named_parameters()))
        {
            a.allclose(b, 1e-4, 1e-6).Should().BeTrue($"{name} after five {kind} steps");
        }
    }

    [Fact]
    public void Weight_decay_shrinks_matrices_and_leaves_biases_alone()
    {
        var (model, _, _) = Problem();
        using var flat = FlatParameters.Flatten(model);
        using var before = flat.Master.clone();
        using var optimizer = new GreenTrain.Trainer.Engine.Optimizers.AdamW(flat, new OptimizerSpec { WeightDecay = 0.5 });

        optimizer.Step(0.1); // gradients are zero: only decay can move anything

        using var decayed = flat.Master.narrow(0, 0, flat.DecayCount);
        decayed.allclose(before.narrow(0, 0, flat.DecayCount) * 0.95, 1e-6, 1e-7).Should().BeTrue();
        flat.Master.narrow(0, flat.DecayCount, flat.Count - flat.DecayCount).allclose(before.narrow(0, flat.DecayCount, flat.Count - flat.DecayCount), 0, 0).Should().BeTrue();
    }
}
