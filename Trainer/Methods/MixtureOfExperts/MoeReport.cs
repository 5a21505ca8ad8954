using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Models;
using GreenTrain.Trainer.Models.Moe;

namespace GreenTrain.Trainer.Methods.MixtureOfExperts;

/// <summary>
/// result.methods.moe: what the mixture cost and did. Active parameters count k experts per MoE block (what one
/// token is computed with), total parameters all of them. FLOPs per token are forward FLOPs (a multiply-add is 2):
/// "active" at k experts per token (the model's FLOPs, which result.performance counts), "processed" at the
/// assignments the experts kept (fewer when capacity dropped some), "computed" what the experts really ran: with the
/// padded dispatch (GPU) every expert its whole capacity of a training batch, filled or not (capacity factor x k
/// experts per token, so 1.25 x active expert FLOPs at the default factor), with the grouped dispatch (CPU) just
/// the kept assignments, as "processed"; and "allExperts" what a dense computation of every expert would cost.
/// </summary>
public static class MoeReport
{
    /// <param name="tokensPerBatch">Tokens of one training micro-batch (batch size x context), which sets the capacity.</param>
    public static JsonObject Build(Gpt gpt, int width, long tokensPerBatch, double? auxiliaryLoss)
    {
        var layers = gpt.MoeLayers;
        var total = gpt.parameters().Sum(p => p.numel());
        var expertWeights = layers.Select(l => 2L * width * l.Hidden).ToList();
        var inactive = layers.Select((l, i) => (long)(l.Experts - l.TopK) * expertWeights[i]).Sum();
        var active = gpt.ForwardFlopsPerExample / gpt.ContextLength;
        var shortfalls = layers.Select((l, i) => l.Load.Tokens == 0 ? 0 : (l.TopK - (double)l.Load.Processed.Sum() / l.Load.Tokens) * 2 * expertWeights[i]).ToList();
        var processedShortfall = shortfalls.Sum();
        // Beyond the active FLOPs: the padded dispatch computes its empty slots, the grouped one skips what it dropped.
        var computedExtra = layers.Select((l, i) => l.ActiveDispatch == ExpertDispatch.Padded
            ? ((double)l.Experts * TopKRouting.Capacity(tokensPerBatch, l.Experts, l.TopK, l.CapacityFactor) / tokensPerBatch - l.TopK) * 2 * expertWeights[i]
            : -shortfalls[i]).Sum();
        var tokens = layers.Sum(l => l.Load.Tokens);
        var assignments = layers.Sum(l => l.Load.Assignments);
        var processed = Sum(layers.Select(l => l.Load.Processed));

        return new JsonObject
        {
            ["experts"] = layers[0].Experts,
            ["topK"] = layers[0].TopK,
            ["moeBlocks"] = layers.Count,
            ["parameters"] = new JsonObject { ["total"] = total, ["active"] = total - inactive, ["activeShare"] = (double)(total - inactive) / total },
            ["flopsPerToken"] = new JsonObject { ["active"] = active, ["processed"] = active - processedShortfall, ["computed"] = active + computedExtra, ["allExperts"] = active + 2.0 * inactive },
            ["tokensRouted"] = tokens,
            ["tokensDroppedShare"] = Share(layers.Sum(l => l.Load.TokensDropped), tokens),
            ["assignmentsDroppedShare"] = Share(layers.Sum(l => l.Load.AssignmentsDropped), assignments),
            ["auxiliaryLoss"] = auxiliaryLoss,
            ["expertLoad"] = Shares(processed),
            ["layers"] = new JsonArray([.. layers.Select(Layer)]),
        };
    }

    private static JsonObject Layer(MoeFeedForward layer, int index) => new()
    {
        ["moeBlock"] = index,
        ["routed"] = new JsonArray([.. layer.Load.Routed.Select(c => JsonValue.Create(c))]),
        ["processed"] = new JsonArray([.. layer.Load.Processed.Select(c => JsonValue.Create(c))]),
        ["load"] = Shares(layer.Load.Processed),
        ["tokensDroppedShare"] = Share(layer.Load.TokensDropped, layer.Load.Tokens),
        ["assignmentsDroppedShare"] = Share(layer.Load.AssignmentsDropped, layer.Load.Assignments),
    };

    /// <summary>Each expert's share of the processed assignments: 1/N each when balanced.</summary>
    private static JsonArray Shares(long[] counts)
    {
        var sum = counts.Sum();
        return new JsonArray([.. counts.Select(c => JsonValue.Create(Share(c, sum)))]);
    }

    private static long[] Sum(IEnumerable<long[]> counts) =>
        counts.Aggregate((long[]?)null, (acc, c) => acc is null ? [.. c] : [.. acc.Zip(c, (a, b) => a + b)])!;

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
