using System.Numerics.Tensors;
using LipService.Models.Certificates;

namespace LipService.Api.Serving;

/// <summary>
/// The label and certified radius of each scored image, the same for every interface that answers
/// (POST /predict, the Open Inference Protocol): a two-class model's label is the sign of its one
/// score and its radius |f(x)|/L; a multiclass model's label is the class of its top score and its
/// radius (top1 − top2)/(F·L).
/// </summary>
public static class CertifiedAnswers
{
    /// <param name="scores"><see cref="LoadedModel.Outputs"/> scores per image, image after image.</param>
    public static void Compute(LoadedModel model, ReadOnlySpan<float> scores, Span<int> labels, Span<double> radii)
    {
        ArgumentNullException.ThrowIfNull(model);
        var classes = model.Record.Spec.Classes;
        double bound = model.LipschitzBound;
        int outputs = model.Outputs;
        if (scores.Length != labels.Length * outputs || labels.Length != radii.Length)
            throw new ArgumentException($"{scores.Length} scores do not make {labels.Length} images of {outputs} outputs.", nameof(scores));
        for (int i = 0; i < labels.Length; i++)
        {
            if (outputs == 1)
            {
                float score = scores[i];
                labels[i] = score >= 0 ? classes[0] : classes[1];
                radii[i] = BinaryCertificates.Radius(score, bound);
                continue;
            }
            var own = scores.Slice(i * outputs, outputs);
            labels[i] = classes[TensorPrimitives.IndexOfMax(own)];
            radii[i] = MulticlassCertificates.Radius(own, bound, model.Coupling);
        }
    }
}
