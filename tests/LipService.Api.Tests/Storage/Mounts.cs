using System.Diagnostics;

namespace LipService.Api.Tests.Storage;

/// <summary>
/// tmpfs and bind mounts for the tests that need a full or read-only disk: root ignores permissions,
/// so only a mount can refuse root's writes. Tests and CI run as root; without it these tests fail
/// saying so rather than skip.
/// </summary>
internal static class Mounts
{
    public static void Tmpfs(string folder, string options) => Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder);

    /// <summary>Mounts <paramref name="path"/> (a file or folder) read-only over itself.</summary>
    public static void ReadOnlyBind(string path)
    {
        Run("mount", "--bind", path, path);
        // A bind mount takes its own flags only on a remount.
        Run("mount", "-o", "remount,bind,ro", path, path);
    }

    public static void Unmount(string path)
    {
        // Lazily when still busy (a service that has not quite let go): the test's folder must not stay mounted.
        if (RunQuietly("umount", path) != 0) RunQuietly("umount", "-l", path);
    }

    private static void Run(params string[] command)
    {
        var (exit, error) = Execute(command);
        if (exit != 0)
        {
            throw new InvalidOperationException(
                $"`{string.Join(' ', command)}` failed ({exit}: {error.Trim()}). This test needs to mount a file system: run it as root "
                + "(or with CAP_SYS_ADMIN; in a container: --privileged or --cap-add SYS_ADMIN).");
        }
    }

    private static int RunQuietly(params string[] command) => Execute(command).Exit;

    private static (int Exit, string Error) Execute(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in command.Skip(1)) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
