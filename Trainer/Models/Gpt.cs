using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Models.Moe;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>
/// A small decoder-only transformer in the shape of GPT-2 (Radford et al., 2019) as nanoGPT writes it:
/// token and position embeddings, pre-norm blocks of causal self-attention (scaled_dot_product_attention,
/// which picks a fused kernel where the backend has one) and a 4x GELU MLP, a final layer norm and a
/// linear head to the vocabulary. Linear layers carry no bias, as in nanoGPT's faster setting.
/// With model.moe, every Nth block's MLP is a sparse mixture of experts (MoeFeedForward); its FLOPs count
/// the k experts a token uses (the active parameters), not all of them.
/// </summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>, INetwork
{
    private readonly Embedding tokenEmbedding, positionEmbedding;
    private readonly ModuleList<GptBlock> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Linear head;
    private readonly Dropout dropout;
    private readonly int contextLength;
    private readonly double dropoutRate;

    public Gpt(int vocabulary, int contextLength, int width, int layers, int heads, double dropoutRate, MoeSpec? moe = null) : base(nameof(Gpt))
    {
        this.contextLength = contextLength;
        this.dropoutRate = dropoutRate;
        tokenEmbedding = nn.Embedding(vocabulary, width);
        positionEmbedding = nn.Embedding(contextLength, width);
        dropout = nn.Dropout(dropoutRate);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(i => new GptBlock(width, heads, dropoutRate, IsMoeBlock(i, moe) ? moe : null)).ToArray());
        finalNorm = nn.LayerNorm(width);
        head = nn.Linear(width, vocabulary, hasBias: false);
        RegisterComponents();
        Initialise(layers);

        // Per token: 2 FLOPs per weight of every matrix product a token goes through (blocks and head), plus
        // attention's QK^T and AV over the context (4 * context * width per layer), as in the PaLM paper's appendix B.
        // A dense block has 4 w^2 attention and 8 w^2 MLP weights; an MoE block the router (w * experts) and k experts.
        MoeLayers = [.. blocks.Select(b => b.Moe).OfType<MoeFeedForward>()];
        var matrixWeights = 4.0 * layers * width * width + (layers - MoeLayers.Count) * 8.0 * width * width + (double)width * vocabulary
            + MoeLayers.Sum(m => (double)width * m.Experts + m.TopK * 2.0 * width * m.Hidden);
        ForwardFlopsPerExample = contextLength * (2 * matrixWeights + 4.0 * layers * contextLength * width);
    }

    /// <summary>The mixture-of-experts feed-forwards, in block order (empty for a dense model).</summary>
    public IReadOnlyList<MoeFeedForward> MoeLayers { get; }

    private static bool IsMoeBlock(int block, MoeSpec? moe) => moe is not null && block % moe.EveryNthBlock == 0;

    public nn.Module<Tensor, Tensor> Module => this;

    public double ForwardFlopsPerExample { get; }

    /// <param name="tokens">int64 [B, T] with T at most the context length.</param>
    /// <returns>Logits [B, T, vocabulary].</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var positions = arange(tokens.shape[1], dtype: ScalarType.Int64, device: tokens.device);
        var x = tokenEmbedding.forward(tokens).add_(positionEmbedding.forward(positions));
        if (dropoutRate > 0) x = dropout.forward(x);
        foreach (var block in blocks) x = block.forward(x);
        return head.call(finalNorm.forward(x)).MoveToOuterDisposeScope(); // call(), not forward(): runs the head's hooks (see GptBlock)
    }

    /// <summary>nanoGPT's initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2 layers).</summary>
    private void Initialise(int layers)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() < 2) continue;
            // The experts' stacked output weights (moe.projection) are residual projections too.
            var residual = name.EndsWith("projection.weight", StringComparison.Ordinal) || name.EndsWith(".moe.projection", StringComparison.Ordinal);
            var std = residual ? 0.02 / Math.Sqrt(2 * layers) : 0.02;
            nn.init.normal_(parameter, 0, std);
        }
    }

    public int ContextLength => contextLength;
}
