using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data;

/// <summary>A text corpus cut into documents and split by document, so no document is in two splits.</summary>
/// <param name="Train">Training documents, in corpus order.</param>
/// <param name="TrainSources">Each training document's number in the corpus.</param>
public sealed record DocumentSplits(IReadOnlyList<string> Train, long[] TrainSources, IReadOnlyList<string> Validation, long[] ValidationSources, IReadOnlyList<string> Test, long[] TestSources);

/// <summary>
/// Reads a text corpus as documents (dataset.documents): fortune files (documents between lines holding only
/// '%', as strfile writes them), lines, or blank-line paragraphs, trimmed, empty ones dropped. Documents go to
/// train, validation and test by HoldOut, and each split keeps corpus order.
/// </summary>
public static class DocumentCorpus
{
    public static List<string> Read(string path, DocumentKind kind)
    {
        var documents = new List<string>();
        foreach (var text in TextCorpusData.ReadCorpusFiles(path)) documents.AddRange(Cut(text, kind));
        if (documents.Count == 0) throw new DataSetNotFoundException($"{path} holds no {kind.ToString().ToLowerInvariant()} documents.");
        return documents;
    }

    public static IEnumerable<string> Cut(string text, DocumentKind kind)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (kind == DocumentKind.Line)
        {
            foreach (var line in lines)
            {
                if (line.Trim().Length > 0) yield return line.Trim();
            }

            yield break;
        }

        var current = new List<string>();
        foreach (var line in lines)
        {
            var separator = kind == DocumentKind.Fortune ? line.Trim() == "%" : line.Trim().Length == 0;
            if (!separator) { current.Add(line); continue; }
            if (string.Join('\n', current).Trim() is { Length: > 0 } document) yield return document;
            current.Clear();
        }

        if (string.Join('\n', current).Trim() is { Length: > 0 } last) yield return last;
    }

    public static DocumentSplits Split(IReadOnlyList<string> documents, double validationFraction, double testFraction)
    {
        var (train, validation, test) = HoldOut.Split(documents.Count, validationFraction, testFraction);
        Array.Sort(train);
        Array.Sort(validation);
        Array.Sort(test);
        return new DocumentSplits(Pick(documents, train), train, Pick(documents, validation), validation, Pick(documents, test), test);
    }

    /// <summary>What goes between documents in the token stream, so the model sees where one ends.</summary>
    public static string Separator(DocumentKind kind) => kind switch
    {
        DocumentKind.Fortune => "\n%\n",
        DocumentKind.Paragraph => "\n\n",
        _ => "\n",
    };

    private static List<string> Pick(IReadOnlyList<string> documents, long[] indices) => [.. indices.Select(i => documents[(int)i])];
}
