using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Sizing;

/// <summary>The example shape (channels, height, width; for text the context is in the model) and class count of each data set kind.</summary>
internal static class DataShape
{
    public static (long[] Shape, double Classes) Of(DatasetSpec dataset) => dataset.Kind switch
    {
        DatasetKind.Digits => ([1, 8, 8], 10),
        DatasetKind.FashionMnist => ([1, 28, 28], 10),
        _ => ([1, 1, 1], dataset.Tokenizer == TokenizerKind.Gpt2 ? 50_257 : 256),
    };
}
