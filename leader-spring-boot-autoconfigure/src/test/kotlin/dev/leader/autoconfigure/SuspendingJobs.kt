package dev.leader.autoconfigure

import dev.leader.election.Leadership
import dev.leader.spring.LeaderOnly
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.reactor.ReactorContext
import kotlin.coroutines.coroutineContext

/** Leader-only Kotlin coroutines: a suspend function and a Flow, guarded for their whole run. */
open class SuspendingJobs {

    private val release = CompletableDeferred<Unit>()

    private val entered = CompletableDeferred<Unit>()

    /** Suspends until [finish], then answers with the token of the term it ran under. */
    @LeaderOnly
    open suspend fun token(): Long? {
        entered.complete(Unit)
        release.await()
        return coroutineContext[ReactorContext]?.context?.getOrEmpty<Leadership>(Leadership::class.java)
            ?.map { it.fencingToken() }?.orElse(null)
    }

    @LeaderOnly
    open fun tokens(): Flow<Long> = flow {
        val leadership = coroutineContext[ReactorContext]?.context?.getOrEmpty<Leadership>(Leadership::class.java)
        emit(leadership?.map { it.fencingToken() }?.orElse(-1L) ?: -1L)
    }

    open fun hasEntered(): Boolean = entered.isCompleted

    open fun finish() {
        release.complete(Unit)
    }
}
