using TorchSharp;

namespace LipService.Models;

/// <summary>
/// Scalars that live for the whole process, for TorchSharp calls whose short overloads would make
/// a temporary one.
/// </summary>
/// <remarks>
/// TorchSharp turns a number into a <see cref="Scalar"/> (a native c10::Scalar with a finalizer)
/// and passes only its handle to libtorch, so nothing keeps the managed object alive during the
/// native call: a collection on another thread can run its finalizer and free the native value
/// while the operation reads it. It read freed memory in training (non-finite weights, "toDouble"
/// failures) and made seeded runs differ. Overloads such as <c>add(Tensor)</c>, <c>add_(Scalar)</c>,
/// <c>a + b</c>, <c>square()</c> and <c>addcdiv_(a, b)</c> make such a temporary internally (their
/// α of 1, the exponent 2), so code in this solution passes a held scalar for every number:
/// <c>using var s = x.ToScalar()</c> for a value, these for constants. A static field is a GC
/// root, so these are never finalized; libtorch only reads a Scalar, so threads may share them.
/// <c>TorchScalarSafetyTests</c> reads every method's IL and fails on any call that makes one.
/// </remarks>
public static class HeldScalars
{
    public static readonly Scalar One = 1.0.ToScalar();

    public static readonly Scalar Two = 2.0.ToScalar();

    public static readonly Scalar Zero = 0.0.ToScalar();
}
