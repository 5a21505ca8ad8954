namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>The rules of model.moe, by JSON path.</summary>
public static class MoeSpecValidator
{
    public const int MaxExperts = 1024;

    public static void Validate(ModelSpec m, Action<string, string> fail)
    {
        if (m.Moe is not { } moe) return;
        const string at = "$.model.moe";
        if (m.Kind != ModelKind.Gpt) fail(at, "a mixture of experts replaces a transformer's feed-forward: it needs the gpt model");
        if (moe.Experts is < 2 or > MaxExperts) fail($"{at}.experts", $"must be between 2 and {MaxExperts}");
        if (moe.TopK < 1 || moe.TopK > Math.Max(moe.Experts, 1)) fail($"{at}.topK", $"must be between 1 and experts ({moe.Experts})");
        if (!(moe.CapacityFactor > 0 && moe.CapacityFactor <= moe.Experts)) fail($"{at}.capacityFactor", $"must be > 0 and at most experts ({moe.Experts}, where no assignment can be dropped)");
        if (!(moe.LoadBalanceAlpha is >= 0 and <= 10)) fail($"{at}.loadBalanceAlpha", "must be between 0 and 10");
        if (!(moe.RouterZLossCoef is >= 0 and <= 10)) fail($"{at}.routerZLossCoef", "must be between 0 and 10");
        if (moe.EveryNthBlock < 1 || moe.EveryNthBlock > Math.Max(m.Depth, 1)) fail($"{at}.everyNthBlock", $"must be between 1 and model.depth ({m.Depth})");
        if (moe.ExpertHidden is < 1 or > 1_048_576) fail($"{at}.expertHidden", "must be between 1 and 1048576, or left out for 4 x width");
    }
}
