using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Build;

/// <summary>
/// The build patches libLibTorchSharp.so where libstdc++ is too old (Debian 12); if that ever breaks,
/// every training test fails on load, and this one says why first.
/// </summary>
public sealed class NativeLibTorchTests
{
    [Fact]
    public void A_tiny_model_trains_on_cpu_and_its_loss_falls()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(64, 4);
        var y = x.matmul(tensor(new float[] { 1.5f, -2f, 0.5f, 3f }).reshape(4, 1)) + 0.25f;
        var model = nn.Linear(4, 1);
        var optimizer = optim.SGD(model.parameters(), 0.1);

        var losses = new List<float>();
        for (var step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        losses[^1].Should().BeLessThan(losses[0] * 0.1f, "twenty SGD steps on a linear problem must cut the loss tenfold");
    }
}
