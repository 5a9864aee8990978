using System.Runtime.CompilerServices;

namespace LipService.TestSupport;

/// <summary>
/// Tests run with one libtorch intra-op thread: on the 2-core machines of CI, two threads under
/// load were several times slower, and test assemblies may run side by side.
/// </summary>
internal static class SingleTorchThread
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any test of the assembly.
    [ModuleInitializer]
    internal static void Configure() => TorchSharp.torch.set_num_threads(int.TryParse(Environment.GetEnvironmentVariable("LIPSERVICE_TEST_THREADS"), out int n) ? n : 1);
#pragma warning restore CA2255
}
