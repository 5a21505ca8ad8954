using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>Opens the data set a spec names, on the training device.</summary>
public static class DataSetFactory
{
    public static ITrainingData Open(ExperimentSpec spec, Device device) => spec.Dataset.Kind switch
    {
        DatasetKind.Digits => new DigitsData(spec.Dataset, device),
        DatasetKind.FashionMnist => new FashionMnistData(spec.Dataset, device),
        DatasetKind.Text => new TextCorpusData(spec.Dataset, spec.Model.ContextLength, device),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Dataset.Kind, "unknown dataset kind"),
    };
}
