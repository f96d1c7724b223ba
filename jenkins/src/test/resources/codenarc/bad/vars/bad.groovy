import com.cloudbees.groovy.cps.NonCPS
import java.util.regex.Matcher

@NonCPS
def helper() {
    sh 'echo hi'
}

def call() {
    Matcher m = ('abc' =~ /b/)
    def list = [3, 1, 2]
    list.sort { a, b -> a <=> b }
    helper()
    println 'x'
    echo "${-> 'lazy'}"
}
