using System.Text;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The form of a document that exact and near dedup compare: Unicode NFKC, lower case, every run of white
/// space one space, no leading or trailing space. Copies that differ only in case or layout hash the same.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
