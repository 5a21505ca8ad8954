namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>The rules of dataset.dedup (and dataset.documents, which text dedup needs), by JSON path.</summary>
public static class DedupSpecValidator
{
    public static void Validate(DatasetSpec d, Action<string, string> fail)
    {
        if (d.Documents is { } documents && !Enum.IsDefined(documents)) fail("$.dataset.documents", "must be one of fortune, line, paragraph");
        if (d.Documents is not null && d.Kind != DatasetKind.Text) fail("$.dataset.documents", "applies to text datasets only");
        if (d.Dedup is not { } dedup) return;

        const string at = "$.dataset.dedup";
        if (d.Kind == DatasetKind.Text && d.Documents is null) fail("$.dataset.documents", "text dedup needs documents (fortune, line or paragraph): dedup removes whole documents");
        if (!dedup.Exact && dedup.Near is null && dedup.Semantic is null && dedup.Prune is null) fail(at, "turns every stage off: set exact, near, semantic or prune");
        if (dedup.Near is { } near)
        {
            if (!(near.Threshold is > 0 and <= 1)) fail($"{at}.near.threshold", "must be > 0 and <= 1");
            if (near.Bands is < 1 or > 512) fail($"{at}.near.bands", "must be between 1 and 512");
            if (near.Rows is < 1 or > 64) fail($"{at}.near.rows", "must be between 1 and 64");
            if (near.ShingleSize is < 1 or > 64) fail($"{at}.near.shingleSize", "must be between 1 and 64");
            if (near.HashSide is < 4 or > 32) fail($"{at}.near.hashSide", "must be between 4 and 32");
            if (!(near.ImageCosine is > 0 and <= 1)) fail($"{at}.near.imageCosine", "must be > 0 and <= 1");
            if (!(near.ImageDifference is > 0 and <= 1)) fail($"{at}.near.imageDifference", "must be > 0 and <= 1");
            if (!Enum.IsDefined(near.Shingles)) fail($"{at}.near.shingles", "must be bytes or words");
        }

        if (dedup.Semantic is { } semantic)
        {
            if (!(semantic.Eps is > 0 and < 1)) fail($"{at}.semantic.eps", "must be > 0 and < 1");
            if (semantic.Clusters is < 0 or > 100_000) fail($"{at}.semantic.clusters", "must be between 0 (automatic) and 100000");
            if (semantic.ProxySteps is < 1 or > 1_000_000) fail($"{at}.semantic.proxySteps", "must be between 1 and 1000000");
        }

        if (dedup.Prune is { } prune)
        {
            if (d.Kind == DatasetKind.Text) fail($"{at}.prune", "EL2N scores labelled examples: it needs a classification dataset");
            if (!(prune.KeepFraction is > 0 and <= 1)) fail($"{at}.prune.keepFraction", "must be > 0 and <= 1");
            if (prune.ScoreSteps is < 1 or > 1_000_000) fail($"{at}.prune.scoreSteps", "must be between 1 and 1000000");
        }
    }
}
