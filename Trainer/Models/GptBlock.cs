using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Models.Moe;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>
/// One pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x)), where the MLP is either dense
/// or a sparse mixture of experts (MoeFeedForward). A dense block keeps its parameter names (expand,
/// mlp_projection), so checkpoints of dense models stay readable.
/// </summary>
internal sealed class GptBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm attentionNorm, mlpNorm;
    private readonly Linear qkv, projection;
    private readonly Linear? expand, mlp_projection;
    private readonly MoeFeedForward? moe;
    private readonly Dropout dropout;
    private readonly int heads;
    private readonly double dropoutRate;

    public GptBlock(int width, int heads, double dropoutRate, MoeSpec? moeSpec = null) : base(nameof(GptBlock))
    {
        this.heads = heads;
        this.dropoutRate = dropoutRate;
        attentionNorm = nn.LayerNorm(width);
        qkv = nn.Linear(width, 3 * width, hasBias: false);
        projection = nn.Linear(width, width, hasBias: false);
        mlpNorm = nn.LayerNorm(width);
        if (moeSpec is null)
        {
            expand = nn.Linear(width, 4 * width, hasBias: false);
            mlp_projection = nn.Linear(4 * width, width, hasBias: false);
        }
        else
        {
            moe = new MoeFeedForward(width, moeSpec);
        }
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    // The linear layers run through call(), not forward(): only call() runs a module's hooks, which methods such as
    // quantization-aware training and post-training calibration use to observe and round each layer's input.
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (batch, time, width) = (x.shape[0], x.shape[1], x.shape[2]);
        var q_k_v = qkv.call(attentionNorm.forward(x)).view(batch, time, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(q_k_v[0], q_k_v[1], q_k_v[2], p: training ? dropoutRate : 0, is_casual: true);
        var merged = attended.transpose(1, 2).reshape(batch, time, width);
        x = x + Dropout(projection.call(merged));
        x = x + Dropout(FeedForward(mlpNorm.forward(x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The block's feed-forward, or null when it is dense.</summary>
    public MoeFeedForward? Moe => moe;

    private Tensor FeedForward(Tensor normed) =>
        moe is not null ? moe.forward(normed) : mlp_projection!.call(nn.functional.gelu(expand!.call(normed)));

    /// <summary>Dropout at rate 0 still costs a kernel per call in training mode; skip it.</summary>
    private Tensor Dropout(Tensor x) => dropoutRate > 0 ? dropout.forward(x) : x;
}
