namespace LipService.Models.Certificates;

/// <summary>How a multiclass network's outputs are bounded together, which sets the radius factor (reference §12.1).</summary>
public enum OutputCoupling
{
    /// <summary>The output vector is L-Lipschitz as a whole (SpectralDense last layer): f_i − f_j is √2·L-Lipschitz.</summary>
    Joint,

    /// <summary>Only each output is L-Lipschitz (per-neuron FrobeniusDense heads): f_i − f_j is 2·L-Lipschitz.</summary>
    Disjoint,
}
