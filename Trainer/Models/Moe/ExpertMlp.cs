using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models.Moe;

/// <summary>One expert: the dense block's GELU MLP (width to hidden to width, no bias).</summary>
internal sealed class ExpertMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear expand, projection;

    public ExpertMlp(int width, int hidden) : base(nameof(ExpertMlp))
    {
        expand = nn.Linear(width, hidden, hasBias: false);
        projection = nn.Linear(hidden, width, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return projection.forward(nn.functional.gelu(expand.forward(x))).MoveToOuterDisposeScope();
    }
}
