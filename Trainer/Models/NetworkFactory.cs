using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;

namespace GreenTrain.Trainer.Models;

/// <summary>Builds the network a spec names, shaped to the data set (input shape, classes or vocabulary).</summary>
public static class NetworkFactory
{
    public static INetwork Create(ModelSpec model, ITrainingData data) => model.Kind switch
    {
        ModelKind.Mlp => new Mlp(data.ExampleShape.Aggregate(1L, (a, b) => a * b), model.Width, model.Depth, data.Classes, model.Dropout),
        ModelKind.Cnn => new SmallCnn(data.ExampleShape, model.Width, model.Depth, data.Classes, model.Dropout),
        ModelKind.ResNet => new ResNetCnn(data.ExampleShape, model.Width, model.Depth, data.Classes),
        ModelKind.Gpt => new Gpt(data.Classes, model.ContextLength, model.Width, model.Depth, model.Heads, model.Dropout, model.Moe),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model.Kind, "unknown model kind"),
    };
}
