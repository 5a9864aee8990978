using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace LipService.TestSupport;

/// <summary>
/// Reads method bodies' IL for calls that create a TorchSharp <see cref="Scalar"/> nobody holds: a
/// direct implicit conversion, or a TorchSharp method that makes one itself (an implicit conversion,
/// or <c>ToScalar()</c> with no <c>Dispose</c> in the same body), followed through TorchSharp's own calls.
/// </summary>
internal sealed class TemporaryScalarScan
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Assembly Torch = typeof(Scalar).Assembly;

    // null: safe; a text: why not. A method being examined counts as safe for its own recursion.
    private readonly Dictionary<MethodBase, string?> verdicts = [];

    /// <summary>Every call in <paramref name="assemblies"/>' methods that makes a temporary Scalar, as "caller → callee: why".</summary>
    public static List<string> Find(params Assembly[] assemblies)
    {
        var scan = new TemporaryScalarScan();
        var offences = new List<string>();
        foreach (var assembly in assemblies)
            foreach (var type in assembly.GetTypes())
                foreach (var method in MethodsOf(type))
                    foreach (var callee in Callees(method))
                        if (callee.DeclaringType?.Assembly == Torch && scan.WhyUnsafe(callee) is { } why)
                            offences.Add($"{type.FullName}.{method.Name} → {Describe(callee)}: {why}");
        return offences;
    }

    /// <summary>Why calling <paramref name="method"/> makes a temporary Scalar, or null when it does not.</summary>
    public string? WhyUnsafe(MethodBase method)
    {
        if (verdicts.TryGetValue(method, out var known)) return known;
        if (IsImplicitScalar(method)) return verdicts[method] = "converts a number to a Scalar";
        verdicts[method] = null;
        var callees = Callees(method).ToList();
        string? why = null;
        if (callees.Any(IsImplicitScalar)) why = "converts a number to a Scalar inside";
        else if (callees.Any(c => c.Name == "ToScalar" && c.DeclaringType?.Assembly == Torch)
                 && !callees.Any(c => c.Name == nameof(Scalar.Dispose) && c.DeclaringType == typeof(Scalar)))
            why = "makes a Scalar it does not dispose";
        else
            foreach (var callee in callees)
                if (callee.DeclaringType?.Assembly == Torch && callee != method && WhyUnsafe(callee) is { } inner)
                {
                    why = $"calls {Describe(callee)}, which {inner}";
                    break;
                }
        return verdicts[method] = why;
    }

    private static bool IsImplicitScalar(MethodBase method) =>
        method.Name == "op_Implicit" && method is MethodInfo { ReturnType: var r } && r == typeof(Scalar);

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
    }

    /// <summary>The methods <paramref name="method"/>'s body calls (call, callvirt, newobj, ldftn), as far as they resolve.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or NotSupportedException)
        {
            yield break;
        }
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                var callee = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                if (callee is not null) yield return callee;
            }
            i += OperandSize(opCode.OperandType, il, i);
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
