using System.Reflection;

namespace Gateway.Tests;

/// <summary>
/// A grain factory standing in for a cluster that never answers (or fails every call), built with
/// DispatchProxy so the tests need no hand-written implementation of Orleans' interfaces.
/// </summary>
public class UnreachableCluster : DispatchProxy
{
    private Exception? _failure;

    public static IGrainFactory Create(Exception? failure = null)
    {
        var factory = DispatchProxy.Create<IGrainFactory, UnreachableCluster>();
        ((UnreachableCluster)(object)factory)._failure = failure;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var type = targetMethod!.ReturnType;
        if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
        {
            var grain = DispatchProxy.Create(type, typeof(UnreachableCluster));
            ((UnreachableCluster)grain)._failure = _failure;
            return grain;
        }
        if (type == typeof(Task))
            return _failure is null ? new TaskCompletionSource().Task : Task.FromException(_failure);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            return typeof(UnreachableCluster).GetMethod(nameof(Pending), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [_failure]);
        throw new NotSupportedException(targetMethod.Name);
    }

    private static Task<T> Pending<T>(Exception? failure) =>
        failure is null ? new TaskCompletionSource<T>().Task : Task.FromException<T>(failure);
}
