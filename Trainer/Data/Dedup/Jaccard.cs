namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>The exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct shingle sets (a merge, no allocation).</summary>
public static class Jaccard
{
    public static double Of(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }

        return common / (double)(a.Length + b.Length - common);
    }
}
