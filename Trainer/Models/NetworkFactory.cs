using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;

namespace GreenTrain.Trainer.Models;

/// <summary>Builds the network a spec names, shaped to the data set (input shape, classes or vocabulary).</summary>
public static class NetworkFactory
{
    public static INetwork Create(ModelSpec model, ITrainingData data) => Create(model, data.ExampleShape, data.Classes);

    /// <summary>The same from the data set's shape alone: a distillation teacher is rebuilt from its model.json this way.</summary>
    public static INetwork Create(ModelSpec model, long[] exampleShape, int classes) => model.Kind switch
    {
        ModelKind.Mlp => new Mlp(exampleShape.Aggregate(1L, (a, b) => a * b), model.Width, model.Depth, classes, model.Dropout),
        ModelKind.Cnn => new SmallCnn(exampleShape, model.Width, model.Depth, classes, model.Dropout),
        ModelKind.ResNet => new ResNetCnn(exampleShape, model.Width, model.Depth, classes),
        ModelKind.Gpt => new Gpt(classes, model.ContextLength, model.Width, model.Depth, model.Heads, model.Dropout, model.Moe),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model.Kind, "unknown model kind"),
    };
}
