package dev.bouncedoctor.api;

import dev.bouncedoctor.model.RequestBudget;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Runs a {@link BoundedWork} endpoint inside its request's budget, on the thread that does the work. */
@BoundedWork
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class BoundedWorkInterceptor {

    private final InFlightWork inFlight;

    public BoundedWorkInterceptor(InFlightWork inFlight) {
        this.inFlight = inFlight;
    }

    @AroundInvoke
    Object bound(InvocationContext invocation) throws Exception {
        try (InFlightWork.Admitted admitted = inFlight.admit(invocation.getMethod());
             RequestBudget.Scope budget = admitted.budget()) {
            return invocation.proceed();
        }
    }
}
