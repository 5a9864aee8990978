namespace LipService.Api.Imaging;

/// <summary>
/// The limits a preprocessor checks every upload against, copied once from <see cref="ImageUploadOptions"/>
/// so later changes to the options do not affect it.
/// </summary>
internal sealed class UploadLimits
{
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public UploadLimits(ImageUploadOptions? options)
    {
        options ??= new ImageUploadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSide, 1, nameof(options) + "." + nameof(options.MaxSide));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, 1, nameof(options) + "." + nameof(options.MaxBytes));
        MaxSide = options.MaxSide;
        // Whatever the configuration says, one upload must fit in a single array.
        MaxBytes = Math.Min(options.MaxBytes, Array.MaxLength);
    }

    /// <summary>Largest width or height, in pixels.</summary>
    public int MaxSide { get; }

    /// <summary>Largest encoded size in bytes; never more than one array can hold.</summary>
    public long MaxBytes { get; }
}
