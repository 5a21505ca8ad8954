using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.MixtureOfExperts;
using GreenTrain.Trainer.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.MixtureOfExperts;

public sealed class MoeTrainingTests : IDisposable
{
    private readonly MoeTesting _testing = new();

    [Fact]
    public void The_optimised_and_logged_loss_is_cross_entropy_plus_every_layers_auxiliary_loss()
    {
        var spec = _testing.Spec(new MoeSpec { Experts = 4, TopK = 2, LoadBalanceAlpha = 0.5, RouterZLossCoef = 0.1 }, steps: 3, accumulation: 2);
        using var state = TrainingSession.Prepare(spec, CPU);
        var watcher = new LossWatcher();

        TrainingSession.Loop(state, new RunOptions(), [watcher], NullLogger.Instance).Run(state);

        watcher.Checked.Should().Be(6, "every micro-batch");
        watcher.LargestGap.Should().BeLessThan(1e-6);
        watcher.SmallestAuxiliary.Should().BeGreaterThan(0.5 / 2, "two layers of load-balancing loss at least alpha each, over 2 accumulation steps");
    }

    [Fact]
    public void A_run_reports_active_and_total_parameters_flops_per_token_dropped_tokens_and_the_expert_load()
    {
        var result = TrainingSession.Run(_testing.Spec(new MoeSpec { Experts = 4, TopK = 1, CapacityFactor = 1.0 }), new RunOptions { CpuThreads = 1 }, [], NullLogger.Instance);
        using var dense = new Gpt(256, 16, 32, 2, 4, 0);

        var report = result.Methods["moe"];
        var total = report["parameters"]!["total"]!.GetValue<long>();
        var active = report["parameters"]!["active"]!.GetValue<long>();
        var expertWeights = 2L * 32 * 128;
        (total - active).Should().Be(2 * 3 * expertWeights, "two MoE blocks, three of four experts idle per token");
        var routerFlops = 2.0 * 32 * 4 * 2;
        report["flopsPerToken"]!["active"]!.GetValue<double>().Should().BeApproximately(dense.ForwardFlopsPerExample / 16 + routerFlops, 1e-6,
            "top-1 with experts the size of the dense MLP costs the dense model plus the routers");
        result.Performance.FlopsPerStep.Should().BeApproximately(3 * 8 * 16 * report["flopsPerToken"]!["active"]!.GetValue<double>(), 1);
        report["tokensRouted"]!.GetValue<long>().Should().Be(2 * 20 * 8 * 16, "two layers, 20 steps of 8 x 16 tokens");
        report["tokensDroppedShare"]!.GetValue<double>().Should().BeInRange(0, 0.5);
        var load = report["expertLoad"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        load.Should().HaveCount(4);
        load.Sum().Should().BeApproximately(1, 1e-9);
        report["layers"]!.AsArray().Should().HaveCount(2);
        report["auxiliaryLoss"]!.GetValue<double>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Every_nth_block_and_the_expert_width_shape_the_model()
    {
        using var gpt = new Gpt(256, 16, 32, 4, 4, 0, new MoeSpec { Experts = 8, TopK = 2, EveryNthBlock = 2, ExpertHidden = 64 });

        gpt.MoeLayers.Should().HaveCount(2, "blocks 0 and 2");
        gpt.MoeLayers.Should().OnlyContain(m => m.Hidden == 64 && m.Experts == 8);
        gpt.named_parameters().Select(p => p.name).Should().Contain("blocks.0.mlpNorm.weight").And.Contain("blocks.0.moe.router.weight")
            .And.Contain("blocks.0.moe.expand").And.Contain("blocks.0.moe.projection").And.Contain("blocks.1.expand.weight");
        var stacked = gpt.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        stacked["blocks.0.moe.expand"].Should().Equal([8L, 32, 64], "the experts' weights are stacked [experts, in, out] for one batched matmul");
        stacked["blocks.0.moe.projection"].Should().Equal([8L, 64, 32]);
    }

    /// <summary>At AfterLoss (methods have run), compares the loss with cross-entropy plus the layers' auxiliary losses, per micro-batch.</summary>
    private sealed class LossWatcher : ITrainingObserver
    {
        public int Checked { get; private set; }

        public double LargestGap { get; private set; }

        public double SmallestAuxiliary { get; private set; } = double.MaxValue;

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.AfterLoss) return;
            var accumulation = state.Spec.Training.AccumulationSteps;
            var crossEntropy = Losses.CrossEntropy(state.Outputs!, state.Batch!).item<float>() / accumulation;
            var auxiliary = state.Method<MixtureOfExpertsMethod>()!.Layers.Sum(l => l.AuxiliaryLoss!.item<float>()) / accumulation;
            LargestGap = Math.Max(LargestGap, Math.Abs(state.Loss!.item<float>() - (crossEntropy + auxiliary)));
            SmallestAuxiliary = Math.Min(SmallestAuxiliary, auxiliary);
            Checked++;
        }
    }

    public void Dispose() => _testing.Dispose();
}
