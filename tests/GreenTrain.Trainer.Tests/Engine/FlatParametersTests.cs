using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Engine;

public sealed class FlatParametersTests
{
    [Fact]
    public void Parameters_and_gradients_are_views_of_one_flat_buffer_with_matrices_first()
    {
        using var mlp = new Mlp(4, 3, 1, 2, 0);
        using var before = mlp.forward(ones(1, 4));
        using var flat = FlatParameters.Flatten(mlp);

        using (var same = mlp.forward(ones(1, 4))) same.allclose(before).Should().BeTrue("flattening keeps the values");
        flat.Count.Should().Be(4 * 3 + 3 + 3 * 2 + 2);
        flat.DecayCount.Should().Be(4 * 3 + 3 * 2, "only weight matrices are decayed");

        mlp.forward(ones(1, 4)).sum().backward();
        using (var norm = flat.MasterGrad.norm()) norm.item<float>().Should().BePositive("backward writes into the flat gradient buffer");

        using (no_grad()) flat.Master.zero_();
        using var zeroed = mlp.forward(ones(1, 4));
        zeroed.abs().sum().item<float>().Should().Be(0, "the model computes with the flat buffer's values");
    }
}
